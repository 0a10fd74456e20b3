using Rlpt.Data.Readers;

namespace Rlpt.Data;

/// <summary>
/// Document inputs for commands that just need texts: files, folders (recursive) or globs of any format
/// <see cref="DocumentReader"/> reads, with its default options. Skipped input is not reported here; the corpus
/// pipeline uses <see cref="DocumentReader"/> with an <see cref="ImportReport"/> for that.
/// </summary>
public static class TextDocuments
{
    public static IReadOnlyList<string> ResolvePaths(IEnumerable<string> inputs) => [.. InputResolver.Resolve(inputs).Select(file => file.Path)];

    public static IEnumerable<Document> Read(IEnumerable<string> files) => DocumentReader.Read(files, new ReaderOptions(), new ImportReport());
}
