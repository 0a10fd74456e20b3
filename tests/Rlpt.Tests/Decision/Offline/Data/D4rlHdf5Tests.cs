using PureHDF;
using Rlpt.Decision.Offline.Data;
using static Rlpt.Tests.Decision.Offline.Data.EpisodeDatasetSamples;

namespace Rlpt.Tests.Decision.Offline.Data;

public sealed class D4rlHdf5Tests
{
    /// <summary>As h5py stores numpy's bool: an int8 enum of FALSE and TRUE.</summary>
    private enum H5pyBool : byte { FALSE, TRUE }

    // Six rows: an episode ended by a terminal (rows 0-2), then one cut by the end of the file (rows 3-5).
    private static readonly double[,] Observations = { { 0, 0.5 }, { 1, 1.5 }, { 2, 2.5 }, { 3, 3.5 }, { 4, 4.5 }, { 5, 5.5 } };

    [Fact]
    public void WriteThenLoadKeepsEveryBitAtD4rlsShapes()
    {
        using var dir = new TestDirectory();
        var path = dir.File("hopper.hdf5");
        var dataset = Make(rows: 40);
        D4rlHdf5.Write(dataset, path);
        AssertBitwiseEqual(dataset, D4rlHdf5.Load(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));

        using var file = H5File.OpenRead(path);
        Assert.Equal([40UL, 3], file.Dataset("observations").Space.Dimensions);
        Assert.Equal([40UL, 2], file.Dataset("actions").Space.Dimensions);
        Assert.Equal([40UL], file.Dataset("rewards").Space.Dimensions);
        Assert.Equal(dataset.Terminals, file.Dataset("terminals").Read<bool[]>());
        Assert.Equal("hopper-medium-v2", file.Attribute("environment").Read<string>());
    }

    [Fact]
    public void AnOlderD4rlFileReadsWithDerivedNextObservations()
    {
        using var dir = new TestDirectory();
        var path = dir.File("old.hdf5");
        new H5File
        {
            ["observations"] = Observations, // float64
            ["actions"] = new long[] { 0, 1, 2, 3, 1, 0 }, // [N] discrete action indices
            ["rewards"] = new float[] { 0, 0, 1, 0, 0, 0.5f },
            ["terminals"] = new byte[] { 0, 0, 1, 0, 0, 0 }, // uint8
            ["infos"] = new H5Group { ["qpos"] = new double[6] },
            Attributes = new() { ["env"] = "maze2d-umaze-v1", ["version"] = 3 },
        }.Write(path);

        var dataset = D4rlHdf5.Load(path);
        Assert.Equal((6, 2, 1), (dataset.Count, dataset.ObservationSize, dataset.ActionSize));
        Assert.Equal([0f, 1, 2, 3, 1, 0], dataset.Actions);
        Assert.Equal([false, false, true, false, false, false], dataset.Terminals);
        Assert.All(dataset.Timeouts, Assert.False);
        Assert.Equal([(0, 3), (3, 3)], dataset.Episodes);
        // The next row's observation within an episode; an episode's last row keeps its own.
        Assert.Equal([1f, 1.5f, 2, 2.5f, 2, 2.5f, 4, 4.5f, 5, 5.5f, 5, 5.5f], dataset.NextObservations);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "maze2d-umaze-v1" }, dataset.Metadata); // the integer attribute is not metadata
    }

    [Fact]
    public void FlagsAndActionsAreReadFromAnyIntegerOrFloatType()
    {
        using var dir = new TestDirectory();
        var path = dir.File("types.h5");
        new H5File
        {
            ["observations"] = Observations,
            ["actions"] = new int[,] { { 1, -1 }, { 2, -2 }, { 3, -3 }, { 4, -4 }, { 5, -5 }, { 6, -6 } },
            ["rewards"] = new double[6],
            ["next_observations"] = new float[6, 2],
            ["terminals"] = new[] { H5pyBool.FALSE, H5pyBool.TRUE, H5pyBool.FALSE, H5pyBool.FALSE, H5pyBool.FALSE, H5pyBool.FALSE },
            ["timeouts"] = new float[] { 0, 0, 0, 1, 0, 0 },
        }.Write(path);

        var dataset = D4rlHdf5.Load(path);
        Assert.Equal(2, dataset.ActionSize);
        Assert.Equal([3f, -3], dataset.Action(2).ToArray());
        Assert.Equal([false, true, false, false, false, false], dataset.Terminals);
        Assert.Equal([false, false, false, true, false, false], dataset.Timeouts);
        Assert.Equal([(0, 2), (2, 2), (4, 2)], dataset.Episodes);
        Assert.All(dataset.NextObservations, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MismatchedShapesAndMissingDatasetsAreRefusedByName()
    {
        using var dir = new TestDirectory();
        var path = dir.File("bad.hdf5");
        void WriteWith(string name, object? value)
        {
            var file = new H5File
            {
                ["observations"] = Observations,
                ["actions"] = new float[6],
                ["rewards"] = new float[6],
                ["terminals"] = new bool[6],
            };
            if (value is null) file.Remove(name);
            else file[name] = value;
            file.Write(path);
        }

        WriteWith("rewards", new float[5]);
        AssertRefused(path, "'rewards' has 5 rows, 'observations' 6");
        WriteWith("actions", new float[7, 2]);
        AssertRefused(path, "'actions' has 7 rows, 'observations' 6");
        WriteWith("next_observations", new float[6, 3]);
        AssertRefused(path, "'next_observations' rows hold 3 values, 'observations' rows 2");
        WriteWith("observations", new float[6]);
        AssertRefused(path, "'observations' is [6], expected [N, observation size]");
        WriteWith("terminals", new string[] { "a", "b", "c", "d", "e", "f" });
        AssertRefused(path, "'terminals' holds VariableLength values");
        WriteWith("actions", null);
        AssertRefused(path, "no 'actions' dataset");
        WriteWith("rewards", new H5Group());
        AssertRefused(path, "'rewards' is not a dataset");

        File.WriteAllText(path, "observations,actions\n1,2\n");
        AssertRefused(path, "not a readable HDF5 episode dataset");
    }
}
