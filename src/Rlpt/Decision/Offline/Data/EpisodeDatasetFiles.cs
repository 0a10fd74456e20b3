namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// Episode datasets on disk, the format chosen by the extension: ".parquet" (<see cref="EpisodeDatasetParquet"/>, a
/// table any dataframe library opens) or ".hdf5"/".h5" (<see cref="D4rlHdf5"/>, D4RL's own files). Both refuse a
/// malformed file with one <see cref="InvalidDataException"/> line that names the file and the problem.
/// </summary>
public static class EpisodeDatasetFiles
{
    public static readonly IReadOnlyList<string> Extensions = [".parquet", ".hdf5", ".h5"];

    public static EpisodeDataset Load(string path) => IsParquet(path) ? EpisodeDatasetParquet.Load(path) : D4rlHdf5.Load(path);

    public static void Save(EpisodeDataset dataset, string path)
    {
        if (IsParquet(path)) EpisodeDatasetParquet.Save(dataset, path);
        else D4rlHdf5.Write(dataset, path);
    }

    private static bool IsParquet(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" => true,
        ".hdf5" or ".h5" => false,
        var extension => throw new ArgumentException($"{path}: no episode dataset format for the extension '{extension}'; supported: .parquet, .hdf5, .h5.", nameof(path)),
    };

    /// <summary>Refuses a missing file up front, where a reader would fail less clearly.</summary>
    internal static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no episode dataset at {path}.", path);
    }

    /// <summary>Builds the dataset read from <paramref name="path"/>, naming the file in the constructor's complaint.</summary>
    internal static EpisodeDataset Create(string path, Func<EpisodeDataset> create)
    {
        try { return create(); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    /// <summary>
    /// Whether a reader's exception means the file is malformed: a parser meeting a corrupt or foreign file may throw
    /// anything, while our own refusals (already naming the file) and the machine's failures pass through.
    /// </summary>
    internal static bool IsMalformed(Exception e) =>
        e is not (InvalidDataException or FileNotFoundException or UnauthorizedAccessException or OutOfMemoryException or OperationCanceledException);

    internal static InvalidDataException Malformed(string path, string format, Exception e) =>
        new($"{path}: not a readable {format} episode dataset ({e.Message.ReplaceLineEndings(" ")}).", e);
}
