using System.Globalization;
using Parquet;
using Parquet.Schema;
using Rlpt.IO;

namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// An <see cref="EpisodeDataset"/> as a plain Parquet table for dataframe tools (lists in Parquet's standard LIST
/// layout): one row per transition, columns observations, actions and next_observations (lists of float), rewards
/// (float), terminals and timeouts (bool). The sizes and every metadata entry go in the file's key-value metadata under "rlpt." so they sit
/// beside other tools' keys: <see cref="ObservationSizeKey"/>, <see cref="ActionSizeKey"/>, and
/// <see cref="MetadataPrefix"/> + key. Loading is strict (every column there with exactly its type, every list of the
/// declared size, no nulls), so a foreign or damaged table is refused rather than half read; a table written
/// elsewhere without the size keys takes its sizes from its first row.
/// </summary>
public static class EpisodeDatasetParquet
{
    /// <summary>Rows in a row group at most: writing holds one row group's levels and pages, never the whole file's.</summary>
    public const int RowGroupRows = 65_536;

    public const string ObservationSizeKey = "rlpt.observation_size";
    public const string ActionSizeKey = "rlpt.action_size";
    public const string MetadataPrefix = "rlpt.metadata.";

    /// <summary>List values in a row group at most, so that wide observations (images) make smaller row groups.</summary>
    private const int RowGroupValues = 1 << 22;

    private const string Observations = "observations", Actions = "actions", Rewards = "rewards",
        NextObservations = "next_observations", Terminals = "terminals", Timeouts = "timeouts";

    /// <summary>Writes the table through a temporary file, so a crash leaves the old file or the new one.</summary>
    public static void Save(EpisodeDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int groupRows = Math.Clamp(RowGroupValues / Math.Max(dataset.ObservationSize, dataset.ActionSize), 1, Math.Min(RowGroupRows, dataset.Count));
        var observations = new ListField(Observations, new DataField<float>("element"));
        var actions = new ListField(Actions, new DataField<float>("element"));
        var nextObservations = new ListField(NextObservations, new DataField<float>("element"));
        var rewards = new DataField<float>(Rewards);
        var terminals = new DataField<bool>(Terminals);
        var timeouts = new DataField<bool>(Timeouts);
        var schema = new ParquetSchema(observations, actions, rewards, nextObservations, terminals, timeouts);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ObservationSizeKey] = dataset.ObservationSize.ToString(CultureInfo.InvariantCulture),
            [ActionSizeKey] = dataset.ActionSize.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in dataset.Metadata) metadata[MetadataPrefix + key] = value;
        var observationLevels = Levels(observations, dataset.ObservationSize, groupRows);
        var actionLevels = Levels(actions, dataset.ActionSize, groupRows);
        AtomicFile.Write(path, stream =>
        {
            var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
            writer.CustomMetadata = metadata;
            for (int start = 0; start < dataset.Count; start += groupRows)
            {
                int rows = Math.Min(groupRows, dataset.Count - start);
                using var group = writer.CreateRowGroup();
                // Columns go in schema order.
                WriteList(group, observations, dataset.Observations, dataset.ObservationSize, start, rows, observationLevels);
                WriteList(group, actions, dataset.Actions, dataset.ActionSize, start, rows, actionLevels);
                group.WriteAsync<float>(rewards, dataset.Rewards.AsMemory(start, rows)).GetAwaiter().GetResult();
                WriteList(group, nextObservations, dataset.NextObservations, dataset.ObservationSize, start, rows, observationLevels);
                group.WriteAsync<bool>(terminals, dataset.Terminals.AsMemory(start, rows)).GetAwaiter().GetResult();
                group.WriteAsync<bool>(timeouts, dataset.Timeouts.AsMemory(start, rows)).GetAwaiter().GetResult();
                group.CompleteValidate();
            }
            Wait(writer.DisposeAsync());
        });
    }

    public static EpisodeDataset Load(string path)
    {
        EpisodeDatasetFiles.RequireFile(path);
        try
        {
            using var stream = File.OpenRead(path);
            var reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            try { return Read(reader, path); }
            finally { Wait(reader.DisposeAsync()); }
        }
        catch (Exception e) when (EpisodeDatasetFiles.IsMalformed(e))
        {
            throw EpisodeDatasetFiles.Malformed(path, "Parquet", e);
        }
    }

    private static EpisodeDataset Read(ParquetReader reader, string path)
    {
        var observations = ListColumn(reader, Observations, path);
        var actions = ListColumn(reader, Actions, path);
        var nextObservations = ListColumn(reader, NextObservations, path);
        var rewards = ScalarColumn(reader, Rewards, typeof(float), path);
        var terminals = ScalarColumn(reader, Terminals, typeof(bool), path);
        var timeouts = ScalarColumn(reader, Timeouts, typeof(bool), path);
        long total = reader.RowGroups.Sum(g => g.RowCount);
        if (total == 0) throw new InvalidDataException($"{path}: the table has no rows.");
        int observationSize = Size(reader, ObservationSizeKey, observations, path), actionSize = Size(reader, ActionSizeKey, actions, path);
        if (total * Math.Max(observationSize, actionSize) > Array.MaxLength) throw new InvalidDataException($"{path}: {total} rows are too many to hold in memory.");
        int count = (int)total;
        float[] observationValues = new float[count * observationSize], actionValues = new float[count * actionSize], nextObservationValues = new float[count * observationSize];
        float[] rewardValues = new float[count];
        bool[] terminalValues = new bool[count], timeoutValues = new bool[count];
        int row = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = (int)group.RowCount;
            ReadList(group, observations, observationSize, observationValues, row, rows, path);
            ReadList(group, actions, actionSize, actionValues, row, rows, path);
            ReadList(group, nextObservations, observationSize, nextObservationValues, row, rows, path);
            ReadScalars(group, rewards, rewardValues.AsMemory(row, rows), row, path);
            ReadScalars(group, terminals, terminalValues.AsMemory(row, rows), row, path);
            ReadScalars(group, timeouts, timeoutValues.AsMemory(row, rows), row, path);
            row += rows;
        }
        var metadata = reader.CustomMetadata
            .Where(e => e.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[MetadataPrefix.Length..], e => e.Value, StringComparer.Ordinal);
        return EpisodeDatasetFiles.Create(path, () => new EpisodeDataset(observationSize, actionSize, observationValues, actionValues,
            rewardValues, nextObservationValues, terminalValues, timeoutValues, metadata));
    }

    /// <summary>A column as read: its name, and the leaf that holds its values (a list's element).</summary>
    private readonly record struct Column(string Name, DataField Values);

    private static Column ListColumn(ParquetReader reader, string name, string path) =>
        Find(reader, name, path) is ListField { Item: DataField { IsArray: false } item } && item.ClrType == typeof(float)
            ? new Column(name, item)
            : throw WrongType(reader, name, "a list of Single", path);

    private static Column ScalarColumn(ParquetReader reader, string name, Type type, string path) =>
        Find(reader, name, path) is DataField { IsArray: false } field && field.ClrType == type
            ? new Column(name, field)
            : throw WrongType(reader, name, type.Name, path);

    private static Field Find(ParquetReader reader, string name, string path) =>
        reader.Schema.Fields.FirstOrDefault(f => f.Name == name)
        ?? throw new InvalidDataException($"{path}: no column '{name}' (columns: {string.Join(", ", reader.Schema.Fields.Select(f => f.Name))}).");

    private static InvalidDataException WrongType(ParquetReader reader, string name, string expected, string path) =>
        new($"{path}: column '{name}' is {Describe(Find(reader, name, path))}, expected {expected}.");

    private static string Describe(Field field) => field switch
    {
        ListField list => $"a list of {Describe(list.Item)}",
        DataField { IsArray: true } data => $"an array of {data.ClrType.Name}",
        DataField data => data.ClrType.Name,
        _ => $"a {field.SchemaType.ToString().ToLowerInvariant()}",
    };

    /// <summary>The declared list size, or for a table written elsewhere, the first row group's values per row.</summary>
    private static int Size(ParquetReader reader, string key, Column column, string path)
    {
        if (reader.CustomMetadata.TryGetValue(key, out var text))
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
                ? size
                : throw new InvalidDataException($"{path}: {key} is '{text}', not a positive integer.");
        int first = Enumerable.Range(0, reader.RowGroupCount).First(g => reader.RowGroups[g].RowCount > 0);
        using var group = reader.OpenRowGroupReader(first);
        // Every row is checked against this size when read.
        return (int)Math.Clamp(ValueCount(group, column, path) / group.RowCount, 1, int.MaxValue);
    }

    /// <summary>Reads a row group's lists straight into their rows of <paramref name="into"/>, checking each is exactly <paramref name="size"/> floats.</summary>
    private static void ReadList(ParquetRowGroupReader group, Column column, int size, float[] into, int row, int rows, string path)
    {
        int count = rows * size;
        long values = ValueCount(group, column, path);
        if (values != count)
            throw new InvalidDataException($"{path}: '{column.Name}' holds {values} values in rows {row}..{row + rows - 1}, where {rows} lists of {size} hold {count}.");
        var definition = new int[count];
        var repetition = new int[count];
        Wait(group.ReadRawAsync(column.Values, into.AsMemory(row * size, count), definition.AsMemory(), repetition.AsMemory()));
        // A row starts (repetition 0) every size values, and no list or element is null. A row that starts early ends
        // the one before it short; a value where a row should start makes its row long.
        int current = -1;
        for (int i = 0; i < count; i++)
        {
            bool starts = repetition[i] == 0;
            if (starts) current++;
            if (definition[i] != column.Values.MaxDefinitionLevel || starts != (i % size == 0))
                throw new InvalidDataException($"{path}: '{column.Name}' row {row + (starts && i % size != 0 ? current - 1 : current)} is not a list of {size} floats.");
        }
    }

    private static void ReadScalars<T>(ParquetRowGroupReader group, Column column, Memory<T> into, int row, string path) where T : struct
    {
        long values = ValueCount(group, column, path);
        if (values != into.Length)
            throw new InvalidDataException($"{path}: '{column.Name}' holds {values} values in a row group of {into.Length} rows.");
        var definition = column.Values.MaxDefinitionLevel > 0 ? new int[into.Length] : null;
        Wait(group.ReadRawAsync(column.Values, into, definition?.AsMemory(), null));
        int missing = definition is null ? -1 : Array.FindIndex(definition, d => d != column.Values.MaxDefinitionLevel);
        if (missing >= 0) throw new InvalidDataException($"{path}: '{column.Name}' row {row + missing} is null.");
    }

    private static long ValueCount(ParquetRowGroupReader group, Column column, string path) =>
        group.GetMetadata(column.Values)?.MetaData?.NumValues
        ?? throw new InvalidDataException($"{path}: '{column.Name}' has no column metadata.");

    /// <summary>Definition levels (every value present) and repetition levels (a new row every <paramref name="size"/> values) for one row group's lists.</summary>
    private static (int[] Definition, int[] Repetition) Levels(ListField list, int size, int rows)
    {
        var definition = new int[rows * size];
        Array.Fill(definition, list.Item.MaxDefinitionLevel);
        var repetition = new int[rows * size];
        for (int i = 0; i < repetition.Length; i++) repetition[i] = i % size == 0 ? 0 : 1;
        return (definition, repetition);
    }

    private static void WriteList(ParquetRowGroupWriter group, ListField list, float[] values, int size, int start, int rows, (int[] Definition, int[] Repetition) levels)
    {
        int count = rows * size;
        group.WriteAllPartsAsync<float>((DataField)list.Item, values.AsMemory(start * size, count), levels.Definition.AsMemory(0, count),
            levels.Repetition.AsMemory(0, count), CancellationToken.None).GetAwaiter().GetResult();
    }

    // Parquet.Net is async only; these files are read and written synchronously, with no synchronization context to deadlock on.
    private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
