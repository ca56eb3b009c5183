// Generated from openapi.json by tools/generate.mjs; do not edit.

/** Creates a phone may retry: the client sends one Idempotency-Key per action and reuses it on every retry. */
export const idempotentOperations: ReadonlySet<string> = new Set([
  'POST /api/membership/applications',
  'POST /api/points/awards',
  'POST /api/points/adjustments',
  'POST /api/patrols',
  'POST /api/patrols/{id}/checkins',
  'POST /api/grid-reports',
  'POST /api/publicity',
  'POST /api/insurance/policies',
  'POST /api/insurance/policies/{id}/endorsements',
  'POST /api/notifications/subscriptions',
  'POST /api/events',
  'POST /api/events/{id}/signups',
  'POST /api/rewards',
  'POST /api/rewards/{id}/redeem',
  'POST /api/certificates',
  'POST /api/plans',
  'POST /api/plans/{id}/items',
  'POST /api/campaigns',
  'POST /api/campaign-applications',
  'POST /api/campaign-subjects',
]);

/** Downloads (.xlsx, photos): answered as bytes, not JSON. */
export const binaryOperations: ReadonlySet<string> = new Set([
  'GET /api/members/export',
  'GET /api/membership/coverage/export',
  'GET /api/points/members/{memberId}/export',
  'GET /api/points/units/{unitId}/export',
  'GET /api/patrols/export',
  'GET /api/grid-reports/export',
  'GET /api/photos/{id}',
  'GET /api/insurance/policies/{id}/roster',
  'GET /api/rankings/{quarter}/{scope}/{scopeId}/export',
  'GET /api/unit-rankings/{quarter}/{scope}/{scopeId}/export',
  'GET /api/awards/{year}/export',
  'GET /api/certificates/{id}/pdf',
  'GET /api/figures/{unitId}/export',
  'GET /api/campaign-applications/{applicationId}/application-form.pdf',
  'GET /api/campaign-applications/{applicationId}/review-form.pdf',
  'GET /api/campaign-applications/{applicationId}/plaque.pdf',
  'GET /api/campaign-applications/{applicationId}/plaque.png',
]);
