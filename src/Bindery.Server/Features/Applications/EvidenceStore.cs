using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Features.Applications;

/// <summary>
/// An evidence file written to disk and not yet recorded. The id and path are left out of the JSON form, so an
/// idempotent retry of the same upload (same kinds, names, sizes and hashes) is recognised as the same request.
/// </summary>
public sealed record StagedEvidence(
    [property: JsonIgnore] string Id,
    string Kind,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    [property: JsonIgnore] string StoragePath);

/// <summary>The outcome of writing one upload: the staged file, or the DY-A5 rule it broke (nothing left on disk).</summary>
public sealed record StageResult(StagedEvidence? File, Decision Refusal);

/// <summary>
/// DY-A5: evidence bytes live on disk under <see cref="BinderyOptions.EvidencePath"/>, at <c>{shopId}/{fileId}</c> (never
/// the sender's file name), written under a temporary name, hashed while streaming, synced, then moved into place.
/// Nothing here is served directly: downloads go through the API's tenant checks.
/// </summary>
public sealed class EvidenceStore(string root, ILogger log)
{
    private const int BufferSize = 81920;

    public string Root { get; } = Path.GetFullPath(root);

    public static EvidenceStore For(HttpContext http) => new(
        http.RequestServices.GetRequiredService<IOptions<BinderyOptions>>().Value.EvidencePath,
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<EvidenceStore>());

    /// <summary>The absolute path of a stored file; refuses a path that would leave the evidence folder.</summary>
    public string FullPath(string storagePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, storagePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"evidence path '{storagePath}' leaves the evidence folder");
        }
        return full;
    }

    /// <summary>
    /// Streams one upload to disk. Stops reading as soon as the sniffed type is refused or the size passes the limit,
    /// and then leaves nothing behind. Read errors of the request body surface as <see cref="MalformedUploadException"/>.
    /// </summary>
    public async Task<StageResult> Stage(Stream content, string shopId, string kind, string fileName, EvidencePolicy policy, CancellationToken ct)
    {
        var id = Ids.New("evf");
        var storagePath = shopId + "/" + id;
        var final = FullPath(storagePath);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = final + ".part";
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var kept = false;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[EvidenceSniffer.HeadLength];
            var headLength = 0;
            string? type = null;
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                while (true)
                {
                    int n;
                    try
                    {
                        n = await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct);
                    }
                    catch (Exception e) when (e is IOException or InvalidDataException)
                    {
                        throw new MalformedUploadException(e);
                    }
                    if (n == 0)
                    {
                        break;
                    }
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(n, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                        if (headLength == head.Length)
                        {
                            type = EvidenceSniffer.Sniff(head);
                            var typeCheck = UnbindApplications.CheckEvidenceType(policy, fileName, type);
                            if (!typeCheck.IsAllowed)
                            {
                                return new StageResult(null, typeCheck);
                            }
                        }
                    }
                    size += n;
                    var sizeCheck = UnbindApplications.CheckEvidenceSize(policy, fileName, size);
                    if (!sizeCheck.IsAllowed)
                    {
                        return new StageResult(null, sizeCheck);
                    }
                    sha.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                if (headLength < head.Length)
                {
                    // A file shorter than the longest signature: decide on what there is.
                    type = EvidenceSniffer.Sniff(head.AsSpan(0, headLength));
                    var typeCheck = UnbindApplications.CheckEvidenceType(policy, fileName, type);
                    if (!typeCheck.IsAllowed)
                    {
                        return new StageResult(null, typeCheck);
                    }
                }
                await file.FlushAsync(ct);
                // Durable before the database row that points to it can commit (the store syncs its commits too).
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, final);
            kept = true;
            return new StageResult(new StagedEvidence(id, kind, fileName, type!, size, Convert.ToHexStringLower(sha.GetHashAndReset()), storagePath),
                Decision.Allowed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!kept)
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>Removes files that were written but not recorded (a refused or failed command).</summary>
    public void Delete(IEnumerable<StagedEvidence> files)
    {
        foreach (var f in files)
        {
            TryDelete(FullPath(f.StoragePath));
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning(e, "could not delete evidence file {Path}; it is not referenced by any application", path);
        }
    }
}

/// <summary>The request body broke off or is not well-formed multipart (the caller's error, not the disk's).</summary>
public sealed class MalformedUploadException(Exception inner) : Exception(inner.Message, inner);
