-- A photo is shown to whoever may see the check-in that references it: the lookup goes from the photo to its check-in.
CREATE INDEX ix_patrol_checkins_photo ON patrol_checkins (photo_ref);
