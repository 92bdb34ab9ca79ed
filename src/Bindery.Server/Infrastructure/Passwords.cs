using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// Password hashes: PBKDF2 with HMAC-SHA512, a random 16-byte salt and 210,000 iterations (the OWASP figure for
/// SHA-512), stored as "pbkdf2-sha512$iterations$salt$hash". The password itself is never stored or logged.
/// </summary>
public static class Passwords
{
    public const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha512";

    /// <summary>Compared against when the username is unknown, so both answers take the same time.</summary>
    private static readonly Lazy<string> Dummy = new(() => Hash("no such login " + Guid.NewGuid().ToString("N")));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string? stored)
    {
        var parts = (stored ?? Dummy.Value).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && stored is not null;
    }
}
