using System.Security.Cryptography;

namespace Bindery.Domain;

/// <summary>Identifiers: caller-chosen ones are validated; generated ones are a prefix plus 20 random base32 characters.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[20];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(prefix.Length + 1 + bytes.Length, (prefix, bytes.ToArray()), static (span, s) =>
        {
            s.prefix.AsSpan().CopyTo(span);
            span[s.prefix.Length] = '_';
            for (var i = 0; i < s.Item2.Length; i++)
            {
                span[s.prefix.Length + 1 + i] = Alphabet[s.Item2[i] & 31];
            }
        });
    }
}
