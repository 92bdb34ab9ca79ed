using Bindery.Domain;
using Bindery.Server.Features.Applications;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Pages;

/// <summary>The console's evidence form (DY-A5): the same limits and store as the API's streamed upload.</summary>
public static class EvidenceForms
{
    /// <summary>
    /// The console's side of the same limits: a form already read by the framework (antiforgery needs it), each file
    /// under its evidence kind, staged through the same store and checks; other fields than <paramref name="textFields"/>
    /// (the antiforgery token) are ignored.
    /// </summary>
    public static async Task<(EvidenceForm? Form, Result? Problem)> FromForm(IFormCollection form, EvidenceStore store, string shopId,
        EvidencePolicy policy, int attached, IReadOnlySet<string> textFields, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in textFields)
        {
            if (form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]))
            {
                if (values[0]!.Length > EvidenceForm.MaxFieldLength)
                {
                    return (null, Result.Invalid(name, $"at most {EvidenceForm.MaxFieldLength} characters"));
                }
                if (InputText.Problem(values[0]!, InputText.MultiLineFields.Contains(name)) is { } textProblem)
                {
                    return (null, Result.Invalid(name, textProblem));
                }
                fields[name] = values[0]!;
            }
        }
        var files = new List<StagedEvidence>();
        var ok = false;
        try
        {
            foreach (var file in form.Files.Where(f => f.Length > 0))
            {
                var kind = UnbindApplications.CheckEvidenceKind(policy, file.Name);
                if (!kind.IsAllowed)
                {
                    return (null, ApplicationProblems.Invalid(kind, "files"));
                }
                var count = UnbindApplications.CheckFileCount(policy, attached, files.Count + 1);
                if (!count.IsAllowed)
                {
                    return (null, ApplicationProblems.Invalid(count, "files"));
                }
                var fileName = EvidenceForm.CleanFileName(file.FileName);
                if (fileName is null)
                {
                    return (null, Result.Invalid(file.Name, $"each file needs a file name of 1 to {UnbindApplications.MaxFileName} characters without control characters"));
                }
                await using var stream = file.OpenReadStream();
                var staged = await store.Stage(stream, shopId, file.Name, fileName, policy, ct);
                if (staged.File is null)
                {
                    return (null, ApplicationProblems.Evidence(staged.Refusal));
                }
                files.Add(staged.File);
            }
            ok = true;
            return (new EvidenceForm(fields, files), null);
        }
        finally
        {
            if (!ok)
            {
                store.Delete(files);
            }
        }
    }
}
