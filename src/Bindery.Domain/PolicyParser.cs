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
                Showcase = r.Has("roles.showcase") ? r.Traits("roles.showcase") : null,
                RegularCapacity = r.Limits("capacity.regular"),
                InvitedCapacity = r.Limits("capacity.invited"),
                ProbationIndividual = r.Has("probation") ? r.Limits("probation.individual") : null,
                ProbationBusiness = r.Has("probation") ? r.Limits("probation.business") : null,
                MinimumAge = r.Int("eligibility.minimumAge", min: 0),
                AccountCountryMustMatchShop = r.Bool("eligibility.accountCountryMustMatchShop"),
                CallerCountryCheckedOn = r.EnumSet<BindingAction>("eligibility.callerCountryCheckedOn"),
                SupportCannotFixRegistrationCountries = r.Countries("eligibility.supportCannotFixRegistrationCountries"),
                AllowedOrigins = r.OptionalEnumSet<AccountOrigin>("eligibility.allowedOrigins"),
                FormalPaymentAccountBlocksOfficial = r.Has("eligibility.formalPaymentAccountBlocksOfficial") && r.Bool("eligibility.formalPaymentAccountBlocksOfficial"),
                InvitationTtl = r.Duration("invitation.expiresAfter"),
                MinimumActiveBeforeUnbind = r.Duration("unbind.minimumActiveDuration", allowZero: true),
                OfficialUnbindsPerLifetime = r.OptionalInt("unbind.officialUnbindsPerLifetime"),
                ChannelBindLimit = r.Has("channelBinds") ? r.OptionalInt("channelBinds.limit") : null,
                ChannelBindWindow = r.Has("channelBinds") ? r.Duration("channelBinds.window") : TimeSpan.Zero,
                UnlinkAutoApproveAfter = r.Duration("unlinkRequest.autoApproveAfter"),
                RuleIds = r.RuleIds("ruleIds"),
                Closure = r.Has("closure") ? new ClosurePolicy(r.Duration("closure.noticePeriod")) : null,
                AccountDeletion = r.Has("accountDeletion") ? new AccountDeletionPolicy(r.Duration("accountDeletion.bindingsEndAfter", allowZero: true)) : null,
                EnterpriseUpgrade = r.Has("enterpriseUpgrade")
                    ? new EnterpriseUpgradePolicy(r.EnumSet<ShopKind>("enterpriseUpgrade.shopKinds"), r.EnumSet<AccountType>("enterpriseUpgrade.accountTypes"))
                    : null,
                Settlement = r.Has("settlement")
                    ? new SettlementPolicy(r.Bool("settlement.officialSharesPaymentAccount"), r.EnumSet<BindingRole>("settlement.zeroCommissionRoles"))
                    : null,
                MainAccount = r.Has("mainAccount") ? r.MainAccount("mainAccount") : null,
                UnbindApplication = r.Has("unbindApplication") ? r.UnbindApplication("unbindApplication") : null,
                Support = r.Has("support") ? r.Support("support") : null,
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
                if (e.ValueKind == JsonValueKind.Array && int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    if (index >= e.GetArrayLength())
                    {
                        return null;
                    }
                    e = e[index];
                    continue;
                }
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

        public bool Has(string path) => Find(path) is { ValueKind: not JsonValueKind.Null };

        /// <summary>Official and channel counts are required; showcase is optional: absent = 0, null = no limit.</summary>
        public RoleLimits Limits(string path)
        {
            var official = Int(path + ".official", 0);
            var channel = Int(path + ".channel", 0);
            var showcasePath = path + ".showcase";
            var e = Find(showcasePath);
            int? showcase = e is null ? 0 : e.Value.ValueKind == JsonValueKind.Null ? null : Int(showcasePath, 0);
            return new RoleLimits(official, channel, showcase);
        }

        public RoleTraits Traits(string path)
        {
            var unbind = UnbindMethod.UnlinkRequest;
            if (Has(path + ".unbind"))
            {
                var e = Find(path + ".unbind")!.Value;
                if (e.ValueKind != JsonValueKind.String || !Wire.TryParse(e.GetString(), out unbind))
                {
                    Errors.Add($"{path}.unbind: must be one of {string.Join(", ", Wire.All<UnbindMethod>())}");
                }
            }
            TimeSpan? minimum = Has(path + ".minimumActiveDuration") ? Duration(path + ".minimumActiveDuration", allowZero: true) : null;
            return new(Bool(path + ".productsSyncAutomatically"), Bool(path + ".mayAddProductsByHand"), unbind, minimum);
        }

        /// <summary>
        /// Engine rule keys mapped to spec ids, each checked against <see cref="RuleCatalog"/>: the key is one the engine
        /// asks, the id is a rule of the spec and that rule governs the key. A wrong entry stops the policy loading.
        /// </summary>
        public IReadOnlyDictionary<string, string> RuleIds(string path)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var e = Find(path);
            if (e is null || e.Value.ValueKind == JsonValueKind.Null)
            {
                return map;
            }
            if (e.Value.ValueKind != JsonValueKind.Object)
            {
                Errors.Add($"{path}: must be an object of rule key → rule id");
                return map;
            }
            foreach (var p in e.Value.EnumerateObject())
            {
                var id = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                if (!RuleCatalog.IsKey(p.Name))
                {
                    Errors.Add($"{path}.{p.Name}: unknown rule key; known keys: {string.Join(", ", RuleCatalog.Keys)}");
                }
                else if (id is null || !IsRuleId(id))
                {
                    Errors.Add($"{path}.{p.Name}: must be a rule id such as \"{RuleCatalog.DefaultFor(p.Name).Id}\"");
                }
                else if (RuleCatalog.Problem(p.Name, id) is { } problem)
                {
                    Errors.Add($"{path}.{p.Name}: {problem}");
                }
                else
                {
                    map[p.Name] = id;
                }
            }
            return map;
        }

        private static bool IsRuleId(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return dash is 1 or 2 && id[..dash].All(char.IsAsciiLetterUpper) && id.Length > dash + 1
                && id[(dash + 1)..].All(char.IsAsciiLetterOrDigit) && char.IsAsciiDigit(id[^1]);
        }

        public MainAccountPolicy MainAccount(string path) => new(
            Int(path + ".codeLength", 4),
            Duration(path + ".codeValidFor"),
            Duration(path + ".changeWindow"),
            Int(path + ".maxWrongCodes", 1),
            Duration(path + ".lockFor"),
            Duration(path + ".rebindWaitingPeriod", allowZero: true),
            Int(path + ".maxChanges", 1),
            Duration(path + ".changePeriod"));

        /// <summary>X-3 / Z-1: support response targets; null (with the errors recorded) when a duration is invalid.</summary>
        public SupportPolicy? Support(string path)
        {
            var response = Duration(path + ".responseTarget");
            var merchant = Duration(path + ".merchantReplyTarget");
            return response > TimeSpan.Zero && merchant > TimeSpan.Zero ? new SupportPolicy(response, merchant) : null;
        }

        public UnbindApplicationPolicy UnbindApplication(string path)
        {
            var min = Int(path + ".reviewBusinessDays.min", 0);
            var max = Int(path + ".reviewBusinessDays.max", 0);
            if (max < min)
            {
                Errors.Add($"{path}.reviewBusinessDays: max must be ≥ min");
            }
            var offset = TimeSpan.Zero;
            var offsetText = String(path + ".calendar.utcOffset");
            if (offsetText.Length > 0 && !TimeSpan.TryParseExact(offsetText.TrimStart('+'), @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture, out offset))
            {
                Errors.Add($"{path}.calendar.utcOffset: must look like \"+08:00\"");
            }
            if (offsetText.StartsWith('-'))
            {
                offset = -TimeSpan.ParseExact(offsetText[1..], @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
            }
            var holidays = Dates(path + ".calendar.holidays");
            var workdays = Dates(path + ".calendar.extraWorkdays");
            BusinessCalendar calendar;
            try
            {
                calendar = new BusinessCalendar(offset, holidays, workdays);
            }
            catch (ArgumentException e)
            {
                Errors.Add($"{path}.calendar: {e.Message}");
                calendar = BusinessCalendar.WeekdaysUtc;
            }
            var kinds = Strings(path + ".evidence.kinds");
            var evidence = new EvidencePolicy(
                Int(path + ".evidence.maxBytes", 1),
                Int(path + ".evidence.maxFiles", 1),
                Strings(path + ".evidence.contentTypes"),
                kinds);
            var reasons = new List<UnbindReason>();
            if (Required(path + ".reasons") is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                {
                    Errors.Add($"{path}.reasons: must be a non-empty list");
                }
                else
                {
                    for (var i = 0; i < list.GetArrayLength(); i++)
                    {
                        var at = $"{path}.reasons[{i}]";
                        var code = String($"{path}.reasons.{i}.code");
                        var required = Strings($"{path}.reasons.{i}.requiredEvidence");
                        foreach (var k in required.Where(k => !kinds.Contains(k)))
                        {
                            Errors.Add($"{at}.requiredEvidence: '{k}' is not one of evidence.kinds");
                        }
                        reasons.Add(new UnbindReason(code, String($"{path}.reasons.{i}.en"), String($"{path}.reasons.{i}.zh"), required,
                            Has($"{path}.reasons.{i}.requiresText") && Bool($"{path}.reasons.{i}.requiresText")));
                    }
                    foreach (var dup in reasons.GroupBy(x => x.Code, StringComparer.Ordinal).Where(g => g.Count() > 1))
                    {
                        Errors.Add($"{path}.reasons: code '{dup.Key}' appears more than once");
                    }
                }
            }
            return new UnbindApplicationPolicy(min, max, calendar, reasons, evidence);
        }

        private HashSet<string> Strings(string path)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (Required(path) is not { } e)
            {
                return set;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                Errors.Add($"{path}: must be a list of strings");
                return set;
            }
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                {
                    set.Add(item.GetString()!);
                }
                else
                {
                    Errors.Add($"{path}: must be a list of non-empty strings");
                }
            }
            return set;
        }

        private List<DateOnly> Dates(string path)
        {
            var dates = new List<DateOnly>();
            var e = Find(path);
            if (e is null || e.Value.ValueKind == JsonValueKind.Null)
            {
                return dates;
            }
            if (e.Value.ValueKind != JsonValueKind.Array)
            {
                Errors.Add($"{path}: must be a list of dates (yyyy-MM-dd)");
                return dates;
            }
            var i = 0;
            foreach (var item in e.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String
                    && DateOnly.TryParseExact(item.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
                {
                    dates.Add(d);
                }
                else
                {
                    Errors.Add($"{path}[{i}]: must be a real date written yyyy-MM-dd");
                }
                i++;
            }
            return dates;
        }

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
