using System.Text;
using Bindery.Domain;
using Bindery.Server.Features.Applications;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Bindery.Server.Pages;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// Reads a multipart/form-data request section by section, streaming each file part (form field name = evidence
/// kind) to the <see cref="EvidenceStore"/> without buffering the request (DY-A5). The first refusal stops the reading
/// and removes every file written so far, so a refused upload leaves nothing behind.
/// </summary>
public static class EvidenceFormReader
{
    /// <summary>Room for the text fields and multipart headers on top of the files themselves.</summary>
    private const long FormOverhead = 1 << 20;

    public static async Task<(EvidenceForm? Form, Result? Problem)> Read(HttpContext http, EvidenceStore store, string shopId,
        EvidencePolicy policy, int attached, IReadOnlySet<string> textFields, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Length is 0 or > 200)
        {
            return (null, ApplicationProblems.NotMultipart());
        }
        var limit = policy.MaxBytes * policy.MaxFiles + FormOverhead;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // The server's default (30 MB) is below what the policy allows for a full set of files.
            size.MaxRequestBodySize = limit;
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
        var reader = new MultipartReader(boundary, http.Request.Body)
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = 16 * 1024,
            // Per part: above the file limit, so the store's own check (a clear 413) is what stops a large file.
            BodyLengthLimit = policy.MaxBytes + FormOverhead,
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<StagedEvidence>();
        var ok = false;
        try
        {
            while (await Next(reader, ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Length == 0)
                {
                    return (null, ApplicationProblems.Malformed("Every part of the form needs a Content-Disposition: form-data header with a name.", "表单的每个部分都需要带名称的 Content-Disposition: form-data 头。"));
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                if (disposition.IsFileDisposition())
                {
                    var kind = UnbindApplications.CheckEvidenceKind(policy, name);
                    if (!kind.IsAllowed)
                    {
                        return (null, ApplicationProblems.Invalid(kind, "files"));
                    }
                    var count = UnbindApplications.CheckFileCount(policy, attached, files.Count + 1);
                    if (!count.IsAllowed)
                    {
                        return (null, ApplicationProblems.Invalid(count, "files"));
                    }
                    var fileName = EvidenceForm.CleanFileName(disposition.FileNameStar.HasValue ? disposition.FileNameStar.ToString() : HeaderUtilities.RemoveQuotes(disposition.FileName).ToString());
                    if (fileName is null)
                    {
                        return (null, Result.Invalid(name, $"each file needs a file name of 1 to {UnbindApplications.MaxFileName} characters without control characters"));
                    }
                    var staged = await store.Stage(section.Body, shopId, name, fileName, policy, ct);
                    if (staged.File is null)
                    {
                        return (null, ApplicationProblems.Evidence(staged.Refusal));
                    }
                    files.Add(staged.File);
                }
                else
                {
                    if (!textFields.Contains(name))
                    {
                        return (null, Result.Invalid(name, textFields.Count == 0
                            ? "is not a field of this form: send only files, each under its evidence kind"
                            : $"is not a field of this form; text fields are {string.Join(", ", textFields.Order(StringComparer.Ordinal))} and files go under their evidence kind"));
                    }
                    if (fields.ContainsKey(name))
                    {
                        return (null, Result.Invalid(name, "is given more than once"));
                    }
                    var value = await Text(section.Body, ct);
                    if (value is null)
                    {
                        return (null, Result.Invalid(name, $"at most {EvidenceForm.MaxFieldLength} characters"));
                    }
                    if (InputText.Problem(value, InputText.MultiLineFields.Contains(name)) is { } textProblem)
                    {
                        return (null, Result.Invalid(name, textProblem));
                    }
                    fields[name] = value;
                }
            }
            ok = true;
            return (new EvidenceForm(fields, files), null);
        }
        catch (MalformedUploadException e) when (e.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return (null, ApplicationProblems.RequestTooLarge(limit));
        }
        catch (MalformedUploadException e)
        {
            return (null, ApplicationProblems.Malformed("The multipart body could not be read: " + e.Message, "无法读取 multipart 请求体：" + e.Message));
        }
        finally
        {
            if (!ok)
            {
                store.Delete(files);
            }
        }
    }

    private static async Task<MultipartSection?> Next(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new MalformedUploadException(e);
        }
    }

    /// <summary>A text field as UTF-8, or null when longer than the limit (reading stops there).</summary>
    private static async Task<string?> Text(Stream body, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
            var buffer = new char[EvidenceForm.MaxFieldLength + 1];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await reader.ReadAsync(buffer.AsMemory(read), ct);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            return read > EvidenceForm.MaxFieldLength ? null : new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new MalformedUploadException(e);
        }
    }
}
