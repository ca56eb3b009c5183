using Association.Api.Platform.Crypto;

namespace Association.Api.Members;

/// <summary>How ID numbers and phones are stored: ciphertext with key id, a mask for display, an HMAC for lookups.</summary>
public sealed record SealedPersonalData(
    byte[] PhoneCipher, string PhoneKeyId, string PhoneMasked,
    byte[] IdNumberCipher, string IdNumberKeyId, string IdNumberMasked, byte[] IdNumberHmac);

public static class PersonalData
{
    public const string PhoneContext = "members.phone";
    public const string IdNumberContext = "members.id_number";

    public static SealedPersonalData Seal(FieldCipher cipher, string phone, string idNumber)
    {
        var sealedPhone = cipher.Encrypt(phone, PhoneContext);
        var sealedId = cipher.Encrypt(idNumber, IdNumberContext);
        return new SealedPersonalData(
            sealedPhone.Cipher, sealedPhone.KeyId, PhoneNumber.Mask(phone),
            sealedId.Cipher, sealedId.KeyId, IdNumber.Mask(idNumber), IdNumberLookup(cipher, idNumber));
    }

    public static byte[] IdNumberLookup(FieldCipher cipher, string idNumber) => cipher.Lookup(idNumber, IdNumberContext);

    public static string Roles(IEnumerable<VolunteerRole> roles) => string.Join(',', roles.Distinct().Order());

    public static IReadOnlyList<VolunteerRole> Roles(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<VolunteerRole>).ToList();
}
