using System.Globalization;

namespace Association.Api.Members;

/// <summary>Mainland resident ID numbers (GB 11643-1999): 17 digits, a check character, a birth date inside.</summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Null when valid (and <paramref name="normalised"/> has an upper-case X); else the code of why not.</summary>
    public static string? Validate(string? value, DateOnly today, out string normalised, out DateOnly birthDate)
    {
        normalised = (value ?? "").Trim().ToUpperInvariant();
        birthDate = default;
        if (normalised.Length != 18)
        {
            return "membership.idNumber.length";
        }
        if (!normalised[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(normalised[17]) || normalised[17] == 'X'))
        {
            return "membership.idNumber.format";
        }
        if (normalised[0] is < '1' or > '9')
        {
            return "membership.idNumber.region";
        }
        if (!DateOnly.TryParseExact(normalised.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birthDate)
            || birthDate.Year < 1900 || birthDate > today)
        {
            return "membership.idNumber.birthDate";
        }
        return CheckCharacter(normalised.AsSpan(0, 17)) == normalised[17] ? null : "membership.idNumber.checkDigit";
    }

    /// <summary>The 18th character that the first 17 digits call for.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17Digits[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    public static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }

    /// <summary>430***********1234: region prefix and last four, as every response shows it.</summary>
    public static string Mask(string normalised) => normalised[..3] + new string('*', 11) + normalised[^4..];
}

public static class PhoneNumber
{
    /// <summary>Null when <paramref name="value"/> is a mainland mobile number (11 digits, 1[3-9]...).</summary>
    public static string? Validate(string? value, out string normalised)
    {
        normalised = (value ?? "").Trim();
        if (normalised.StartsWith("+86", StringComparison.Ordinal))
        {
            normalised = normalised[3..];
        }
        return normalised.Length == 11 && normalised.All(char.IsAsciiDigit) && normalised[0] == '1' && normalised[1] is >= '3' and <= '9'
            ? null
            : "membership.phone.format";
    }

    /// <summary>138****1234.</summary>
    public static string Mask(string normalised) => normalised[..3] + "****" + normalised[^4..];
}
