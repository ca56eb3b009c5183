namespace Association.Api.Photos;

public sealed record PhotoUploaded(string Id, string ContentType, long SizeBytes);
