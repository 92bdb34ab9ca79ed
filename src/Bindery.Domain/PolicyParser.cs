using System.Text.Json;

namespace Bindery.Domain;

/// <summary>A policy file that cannot be used. <see cref="Errors"/> name the source and each failing field.</summary>
public sealed class PolicyException(string source, IReadOnlyList<string> errors)
    : Exception($"Policy '{source}' is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public string PolicySource { get; } = source;
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Parses and validates a policy document (JSON). Every problem is collected, each naming the field path,
/// so one run of a validator shows everything to fix.
/// </summary>
public static class PolicyParser
{
    public static Policy Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}: " : "";
            throw new PolicyException(source, [$"{where}not valid JSON ({FirstSentence(e.Message)})"]);
        }
        using (doc)
        {
            var r = new Reader(doc.RootElement);
            var policy = new Policy
            {
                Id = r.String("id"),
                Version = r.Int("version", min: 1),
                Name = r.String("name"),
                Official = r.Traits("roles.official"),
                Channel = r.Traits("roles.channel"),
                RegularCapacity = r.Limits("capacity.regular"),
                InvitedCapacity = r.Limits("capacity.invited"),
                ProbationIndividual = r.Limits("probation.individual"),
                ProbationBusiness = r.Limits("probation.business"),
                MinimumAge = r.Int("eligibility.minimumAge", min: 0),
                AccountCountryMustMatchShop = r.Bool("eligibility.accountCountryMustMatchShop"),
                CallerCountryCheckedOn = r.EnumSet<BindingAction>("eligibility.callerCountryCheckedOn"),
                SupportCannotFixRegistrationCountries = r.Countries("eligibility.supportCannotFixRegistrationCountries"),
                AllowedOrigins = r.OptionalEnumSet<AccountOrigin>("eligibility.allowedOrigins"),
                InvitationTtl = r.Duration("invitation.expiresAfter"),
                MinimumActiveBeforeUnbind = r.Duration("unbind.minimumActiveDuration", allowZero: true),
                OfficialUnbindsPerLifetime = r.OptionalInt("unbind.officialUnbindsPerLifetime"),
                ChannelBindLimit = r.OptionalInt("channelBinds.limit"),
                ChannelBindWindow = r.Duration("channelBinds.window"),
                UnlinkAutoApproveAfter = r.Duration("unlinkRequest.autoApproveAfter"),
            };
            if (policy.Id.Length > 0 && !Ids.IsValid(policy.Id))
            {
                r.Errors.Add("id: must be letters, digits, '-', '_' or '.' (at most 64)");
            }
            if (r.Errors.Count > 0)
            {
                throw new PolicyException(source, r.Errors);
            }
            return policy;
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }

    private sealed class Reader(JsonElement root)
    {
        public List<string> Errors { get; } = [];

        private JsonElement? Find(string path)
        {
            var e = root;
            foreach (var part in path.Split('.'))
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out var next))
                {
                    return null;
                }
                e = next;
            }
            return e;
        }

        private JsonElement? Required(string path)
        {
            var e = Find(path);
            if (e is null || e.Value.ValueKind == JsonValueKind.Null)
            {
                Errors.Add($"{path}: is required");
                return null;
            }
            return e;
        }

        public string String(string path)
        {
            if (Required(path) is not { } e)
            {
                return "";
            }
            if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
            {
                Errors.Add($"{path}: must be a non-empty string");
                return "";
            }
            return e.GetString()!;
        }

        public int Int(string path, int min)
        {
            if (Required(path) is not { } e)
            {
                return min;
            }
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v) || v < min)
            {
                Errors.Add($"{path}: must be a whole number ≥ {min}");
                return min;
            }
            return v;
        }

        public int? OptionalInt(string path)
        {
            var e = Find(path);
            if (e is null || e.Value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return Int(path, 0);
        }

        public bool Bool(string path)
        {
            if (Required(path) is not { } e)
            {
                return false;
            }
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Errors.Add($"{path}: must be true or false");
                return false;
            }
            return e.GetBoolean();
        }

        public TimeSpan Duration(string path, bool allowZero = false)
        {
            if (Required(path) is not { } e)
            {
                return TimeSpan.Zero;
            }
            if (e.ValueKind != JsonValueKind.String || !IsoDuration.TryParse(e.GetString(), out var d) || (!allowZero && d <= TimeSpan.Zero))
            {
                Errors.Add($"{path}: must be an exact ISO 8601 duration{(allowZero ? "" : " greater than zero")}, e.g. \"PT48H\" or \"P180D\"");
                return TimeSpan.Zero;
            }
            return d;
        }

        public RoleLimits Limits(string path) => new(Int(path + ".official", 0), Int(path + ".channel", 0));

        public RoleTraits Traits(string path) =>
            new(Bool(path + ".productsSyncAutomatically"), Bool(path + ".mayAddProductsByHand"));

        public IReadOnlySet<T> EnumSet<T>(string path) where T : struct, Enum =>
            Required(path) is { } e ? ParseSet<T>(path, e) : new HashSet<T>();

        public IReadOnlySet<T>? OptionalEnumSet<T>(string path) where T : struct, Enum
        {
            var e = Find(path);
            return e is null || e.Value.ValueKind == JsonValueKind.Null ? null : ParseSet<T>(path, e.Value);
        }

        private HashSet<T> ParseSet<T>(string path, JsonElement e) where T : struct, Enum
        {
            var set = new HashSet<T>();
            if (e.ValueKind != JsonValueKind.Array)
            {
                Errors.Add($"{path}: must be a list");
                return set;
            }
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !Wire.TryParse<T>(item.GetString(), out var v))
                {
                    Errors.Add($"{path}[{i}]: must be one of {string.Join(", ", Wire.All<T>())}");
                }
                else
                {
                    set.Add(v);
                }
                i++;
            }
            return set;
        }

        public IReadOnlySet<string> Countries(string path)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (Required(path) is not { } e)
            {
                return set;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                Errors.Add($"{path}: must be a list of country codes");
                return set;
            }
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !CountryCode.IsValid(item.GetString()))
                {
                    Errors.Add($"{path}[{i}]: must be a two-letter upper-case country code such as \"US\"");
                }
                else
                {
                    set.Add(item.GetString()!);
                }
                i++;
            }
            return set;
        }
    }
}
