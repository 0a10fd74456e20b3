using Parquet;
using Parquet.Schema;
using Rlpt.Decision.Offline.Data;
using static Rlpt.Tests.Decision.Offline.Data.EpisodeDatasetSamples;

namespace Rlpt.Tests.Decision.Offline.Data;

public sealed class EpisodeDatasetParquetTests
{
    [Fact]
    public async Task RoundTripKeepsEveryBitTheSizesAndTheMetadata()
    {
        using var dir = new TestDirectory();
        var path = dir.File("hopper.parquet");
        var dataset = Make(rows: 50);
        EpisodeDatasetParquet.Save(dataset, path);
        AssertBitwiseEqual(dataset, EpisodeDatasetParquet.Load(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path)); // the temporary file was renamed, not left behind

        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(["observations", "actions", "rewards", "next_observations", "terminals", "timeouts"], reader.Schema.Fields.Select(f => f.Name));
        Assert.Equal("3", reader.CustomMetadata[EpisodeDatasetParquet.ObservationSizeKey]);
        Assert.Equal("2", reader.CustomMetadata[EpisodeDatasetParquet.ActionSizeKey]);
        Assert.Equal("hopper-medium-v2", reader.CustomMetadata[EpisodeDatasetParquet.MetadataPrefix + "environment"]);

        EpisodeDatasetParquet.Save(Make(rows: 7, seed: 1), path); // overwrites
        AssertBitwiseEqual(Make(rows: 7, seed: 1), EpisodeDatasetParquet.Load(path));
    }

    [Fact]
    public async Task LargeDatasetsAreWrittenInBoundedRowGroups()
    {
        using var dir = new TestDirectory();
        var path = dir.File("large.parquet");
        var dataset = Make(rows: 2 * EpisodeDatasetParquet.RowGroupRows + 5, observationSize: 1, actionSize: 1);
        EpisodeDatasetParquet.Save(dataset, path);
        await using (var reader = await ParquetReader.CreateAsync(path))
            Assert.Equal([(long)EpisodeDatasetParquet.RowGroupRows, EpisodeDatasetParquet.RowGroupRows, 5], reader.RowGroups.Select(g => g.RowCount));
        AssertBitwiseEqual(dataset, EpisodeDatasetParquet.Load(path));
    }

    [Fact]
    public async Task MissingColumnsWrongTypesAndNullsAreRefused()
    {
        using var dir = new TestDirectory();
        var path = dir.File("bad.parquet");
        await WriteTable(path, Sizes(2, 1), Lists("observations", 2, 2), Lists("actions", 2, 1), ("rewards", new float[2], null),
            Lists("next_observations", 2, 2), ("terminals", new bool[2], null));
        AssertRefused(path, "no column 'timeouts'");

        await WriteTable(path, Sizes(2, 1), Lists("observations", 2, 2), Lists("actions", 2, 1), ("rewards", new double[2], null),
            Lists("next_observations", 2, 2), ("terminals", new bool[2], null), ("timeouts", new bool[2], null));
        AssertRefused(path, "column 'rewards' is Double, expected Single");

        await WriteTable(path, Sizes(2, 1), Lists("observations", 2, 2), Lists("actions", 2, 1), ("rewards", new float?[] { 1, null }, null),
            Lists("next_observations", 2, 2), ("terminals", new bool[2], null), ("timeouts", new bool[2], null));
        AssertRefused(path, "'rewards' row 1 is null");

        await File.WriteAllTextAsync(path, "observations,actions\n1,2\n");
        AssertRefused(path, "not a readable Parquet episode dataset");
    }

    [Fact]
    public async Task ListsOfAnotherLengthThanDeclaredAreRefused()
    {
        using var dir = new TestDirectory();
        var path = dir.File("bad.parquet");
        // Every observation holds 3 values where the file declares 2.
        await WriteTable(path, Sizes(2, 1), Lists("observations", 2, 3), Lists("actions", 2, 1), ("rewards", new float[2], null),
            Lists("next_observations", 2, 2), ("terminals", new bool[2], null), ("timeouts", new bool[2], null));
        AssertRefused(path, "'observations' holds 6 values in rows 0..1, where 2 lists of 2 hold 4");

        // 3 + 1 or 1 + 3 values make the right total, but row 0 is too long or too short.
        foreach (int[] lengths in new[] { new[] { 3, 1 }, [1, 3] })
        {
            await WriteTable(path, Sizes(2, 1), ("observations", new float[4], lengths), Lists("actions", 2, 1), ("rewards", new float[2], null),
                Lists("next_observations", 2, 2), ("terminals", new bool[2], null), ("timeouts", new bool[2], null));
            AssertRefused(path, "'observations' row 0 is not a list of 2 floats");
        }

        await WriteTable(path, new() { [EpisodeDatasetParquet.ObservationSizeKey] = "two", [EpisodeDatasetParquet.ActionSizeKey] = "1" },
            Lists("observations", 2, 2), Lists("actions", 2, 1), ("rewards", new float[2], null), Lists("next_observations", 2, 2),
            ("terminals", new bool[2], null), ("timeouts", new bool[2], null));
        AssertRefused(path, "rlpt.observation_size is 'two', not a positive integer");
    }

    [Fact]
    public async Task ATableWrittenElsewhereWithoutTheSizeKeysTakesItsSizesFromItsFirstRow()
    {
        using var dir = new TestDirectory();
        var path = dir.File("pandas.parquet");
        await WriteTable(path, new() { ["pandas"] = "{}" }, ("observations", new float[] { 1, 2, 3, 4, 5, 6 }, [3, 3]), ("actions", new float[] { 7, 8 }, [1, 1]),
            ("rewards", new float[] { 0.5f, 1 }, null), ("next_observations", new float[] { 4, 5, 6, 6, 5, 4 }, [3, 3]),
            ("terminals", new[] { false, true }, null), ("timeouts", new bool[2], null));
        var dataset = EpisodeDatasetParquet.Load(path);
        Assert.Equal((3, 1), (dataset.ObservationSize, dataset.ActionSize));
        Assert.Equal([4f, 5, 6], dataset.Observation(1).ToArray());
        Assert.Equal([6f, 5, 4], dataset.NextObservation(1).ToArray());
        Assert.Equal([(0, 2)], dataset.Episodes);
        Assert.Empty(dataset.Metadata); // only rlpt.metadata.* keys are the dataset's
    }

    private static Dictionary<string, string> Sizes(int observationSize, int actionSize) => new()
    {
        [EpisodeDatasetParquet.ObservationSizeKey] = observationSize.ToString(),
        [EpisodeDatasetParquet.ActionSizeKey] = actionSize.ToString(),
    };

    /// <summary>A list column of <paramref name="rows"/> lists of <paramref name="size"/> zeros.</summary>
    private static (string, Array, int[]?) Lists(string name, int rows, int size) => (name, new float[rows * size], Enumerable.Repeat(size, rows).ToArray());

    /// <summary>
    /// Writes one row group, columns in the given order: a list of float where row lengths are given (their values
    /// flat), else a scalar of the array's element type (float? for nulls).
    /// </summary>
    private static async Task WriteTable(string path, Dictionary<string, string> metadata, params (string Name, Array Values, int[]? Lengths)[] columns)
    {
        var fields = columns.Select(c => c.Lengths is null ? new DataField(c.Name, c.Values.GetType().GetElementType()!) : (Field)new ListField(c.Name, new DataField<float>("element"))).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        writer.CustomMetadata = metadata;
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < columns.Length; c++)
        {
            var (_, values, lengths) = columns[c];
            if (fields[c] is ListField list)
            {
                var item = (DataField)list.Item;
                var repetition = lengths!.SelectMany(n => Enumerable.Range(0, n).Select(i => i == 0 ? 0 : 1)).ToArray();
                await group.WriteAllPartsAsync<float>(item, (float[])values, Enumerable.Repeat(item.MaxDefinitionLevel, repetition.Length).ToArray(), repetition, CancellationToken.None);
                continue;
            }
            var field = (DataField)fields[c];
            await (values switch
            {
                float[] v => group.WriteAsync<float>(field, v.AsMemory()),
                float?[] v => group.WriteAsync<float>(field, (ReadOnlyMemory<float?>)v.AsMemory()),
                double[] v => group.WriteAsync<double>(field, v.AsMemory()),
                bool[] v => group.WriteAsync<bool>(field, v.AsMemory()),
                _ => throw new ArgumentException(values.GetType().Name),
            });
        }
        group.CompleteValidate();
    }
}
