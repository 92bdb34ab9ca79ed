using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

/// <summary>
/// Z-3: what makes two requests under one Idempotency-Key "the same request": the method, the route, every route value,
/// every query value, the whole JSON body in canonical form (members sorted by name at every level, insignificant white
/// space and string escapes removed) and the command the endpoint made of it (which, for the multipart evidence upload,
/// names every text field and every file by its SHA-256). Nothing is chosen field by field, so a new field cannot be
/// forgotten. It is an HMAC under a key derived from the service's secret: the stored fingerprint of a request that
/// carried a password reveals nothing about the password, not even to a guess checked offline.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(HttpContext http, IWriteCommand command)
    {
        var key = http.RequestServices.GetRequiredService<Confirmations>().DerivedKey("idempotency-fingerprint");
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var request = http.Request;
        void Line(string label, string? value)
        {
            // Length-prefixed, so no value can run into the next.
            var bytes = Encoding.UTF8.GetBytes(value ?? "\0null");
            mac.AppendData(Encoding.UTF8.GetBytes($"{label}:{bytes.Length.ToString(CultureInfo.InvariantCulture)}:"));
            mac.AppendData(bytes);
        }
        Line("method", request.Method);
        Line("route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value);
        foreach (var (name, value) in request.RouteValues.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            Line("route-value", name);
            Line("=", Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        foreach (var (name, values) in request.Query.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            Line("query", name);
            foreach (var v in values)
            {
                Line("=", v);
            }
        }
        if (http.Items.TryGetValue(InputGate.BodyKey, out var read) && read is byte[] body)
        {
            mac.AppendData("body:"u8);
            AppendCanonical(mac, body);
        }
        Line("command", command.GetType().FullName);
        Line("command-json", JsonSerializer.Serialize(command, command.GetType(), Json.Options));
        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    private static void AppendCanonical(IncrementalHash mac, byte[] body)
    {
        using var canonical = new MemoryStream();
        try
        {
            using var document = JsonDocument.Parse(body);
            using (var writer = new Utf8JsonWriter(canonical, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, document.RootElement);
            }
            mac.AppendData("json:"u8);
            mac.AppendData(canonical.GetBuffer(), 0, (int)canonical.Length);
        }
        catch (JsonException)
        {
            // Not JSON (the endpoint refuses it anyway): the bytes as sent.
            mac.AppendData("raw:"u8);
            mac.AppendData(body);
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
