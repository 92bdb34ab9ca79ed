using Bindery.Domain;

namespace Bindery.Server.Core;

/// <summary>Collects field errors of one request body.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    public Result ToResult() => Result.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    public T? Enum<T>(string field, string? value, bool required, T? fallback = null) where T : struct, System.Enum
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return fallback;
        }
        if (Wire.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }
        Add(field, $"must be one of: {string.Join(", ", Wire.All<T>())}");
        return fallback;
    }

    public string? Country(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return null;
        }
        if (CountryCode.IsValid(value))
        {
            return value;
        }
        Add(field, "must be a two-letter upper-case country code (ISO 3166-1 alpha-2), e.g. GB");
        return null;
    }

    /// <summary>Every instant and date a request gives lies in [1900-01-01, 2200-01-01): nothing sooner or later means anything here.</summary>
    public static readonly DateTimeOffset MinInstant = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset MaxInstant = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly MinDate = new(1900, 1, 1);

    public static readonly DateOnly MaxDate = new(2200, 1, 1);

    private const string InstantRange = "must be an instant from 1900-01-01T00:00:00Z up to (not including) 2200-01-01T00:00:00Z";

    private const string DateRange = "must be a date from 1900-01-01 up to (not including) 2200-01-01";

    /// <summary>
    /// A duration within [<paramref name="min"/>, <paramref name="max"/>]: null (with the error added) when it is not an exact
    /// ISO 8601 duration or lies outside.
    /// </summary>
    public TimeSpan? Duration(string field, string? value, TimeSpan min, TimeSpan max, string example)
    {
        if (value is null)
        {
            return null;
        }
        if (IsoDuration.TryParse(value, out var d) && d >= min && d <= max)
        {
            return d;
        }
        Add(field, $"must be an exact ISO 8601 duration from {IsoDuration.Format(min)} to {IsoDuration.Format(max)}, such as {example}");
        return null;
    }

    public DateTimeOffset? Instant(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
            && (value.EndsWith('Z') || value.EndsWith("z", StringComparison.Ordinal) || value.Contains('+', StringComparison.Ordinal) || value.LastIndexOf('-') > 9))
        {
            if (at < MinInstant || at >= MaxInstant)
            {
                Add(field, InstantRange);
                return null;
            }
            return at.ToUniversalTime();
        }
        Add(field, "must be an ISO 8601 instant with a zone, e.g. 2027-01-31T08:00:00Z");
        return null;
    }

    public DateOnly? Date(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
        {
            if (d < MinDate || d >= MaxDate)
            {
                Add(field, DateRange);
                return null;
            }
            return d;
        }
        Add(field, "must be a real calendar date written yyyy-MM-dd");
        return null;
    }

    public string? Id(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return null;
        }
        if (Ids.IsValid(value))
        {
            return value;
        }
        Add(field, "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit");
        return null;
    }
}
