namespace Bindery.Domain;

/// <summary>An ISO 3166-1 alpha-2 country or region code. Invariant: exactly two upper-case ASCII letters.</summary>
public readonly record struct CountryCode
{
    public string Value { get; }

    public CountryCode(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not a two-letter country code (ISO 3166-1 alpha-2).", nameof(value));
        }
        Value = value;
    }

    public static bool IsValid(string? value) =>
        value is { Length: 2 } && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]);

    public static bool TryParse(string? text, out CountryCode code)
    {
        var upper = text?.Trim().ToUpperInvariant();
        if (IsValid(upper))
        {
            code = new CountryCode(upper!);
            return true;
        }
        code = default;
        return false;
    }

    public override string ToString() => Value;
}
