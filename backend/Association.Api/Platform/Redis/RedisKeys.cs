using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Platform.Redis;

/// <summary>
/// Every Redis key of the API is built here, under the configured prefix. Identifiers of people are
/// hashed before they reach a key, so a key listing reveals no openid.
/// </summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    private string Prefix => options.Value.KeyPrefix;

    public RedisKey LoginAttempts(string openId) => $"{Prefix}rate:login:{Pseudonym(openId)}";

    private static string Pseudonym(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
}
