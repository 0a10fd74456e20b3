using System.Numerics;
using PureHDF;
using Rlpt.IO;

namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// D4RL's HDF5 files, the arrays d4rl's get_dataset returns: root datasets observations [N, obs], actions [N, act]
/// (or [N], one discrete action index per row), rewards [N], next_observations [N, obs], terminals [N] and timeouts
/// [N]. Read and written with PureHDF, which is managed code: no native HDF5 library to ship. Reading converts what
/// D4RL and the files derived from it store (float64 arrays, integer actions, terminals and timeouts as h5py's bool
/// enum, uint8, int or float) and ignores every other dataset or group (D4RL's infos/ and metadata/). The dataset's
/// <see cref="EpisodeDataset.Metadata"/> is the root's string attributes (h5py's f.attrs), not a group: D4RL's own
/// metadata/ group holds datasets of another kind (the behaviour policy's weights). Other attributes are ignored.
/// </summary>
public static class D4rlHdf5
{
    private const string Observations = "observations", Actions = "actions", Rewards = "rewards",
        NextObservations = "next_observations", Terminals = "terminals", Timeouts = "timeouts";

    /// <summary>
    /// Reads a D4RL file. Older releases lack timeouts (read as all false) and next_observations, derived then from the
    /// next row's observation within an episode. An episode's last row has no next row in the file and gets its own
    /// observation: unused after a terminal (no bootstrap), but seen by a learner that bootstraps after a timeout,
    /// which is why d4rl's qlearning_dataset drops those rows.
    /// </summary>
    public static EpisodeDataset Load(string path)
    {
        EpisodeDatasetFiles.RequireFile(path);
        try
        {
            using var file = H5File.OpenRead(path);
            return Read(file, path);
        }
        catch (Exception e) when (EpisodeDatasetFiles.IsMalformed(e))
        {
            throw EpisodeDatasetFiles.Malformed(path, "HDF5", e);
        }
    }

    /// <summary>
    /// Writes float32 arrays at D4RL's shapes (actions always [N, act]), terminals and timeouts as uint8 0/1 (PureHDF's
    /// bool, which h5py reads as uint8) and the metadata as root string attributes, through a temporary file so a
    /// crash leaves the old file or the new one.
    /// </summary>
    public static void Write(EpisodeDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ulong rows = (ulong)dataset.Count;
        var file = new H5File
        {
            [Observations] = new H5Dataset(dataset.Observations, fileDims: [rows, (ulong)dataset.ObservationSize]),
            [Actions] = new H5Dataset(dataset.Actions, fileDims: [rows, (ulong)dataset.ActionSize]),
            [Rewards] = dataset.Rewards,
            [NextObservations] = new H5Dataset(dataset.NextObservations, fileDims: [rows, (ulong)dataset.ObservationSize]),
            [Terminals] = dataset.Terminals,
            [Timeouts] = dataset.Timeouts,
        };
        foreach (var (key, value) in dataset.Metadata) file.Attributes[key] = value;
        AtomicFile.Write(path, stream => file.Write(stream));
    }

    private static EpisodeDataset Read(IH5Group file, string path)
    {
        var observations = Find(file, Observations, path)!;
        var (count, observationSize) = Shape(observations, Observations, "[N, observation size]", 2, 2, path);
        var actions = Find(file, Actions, path)!;
        int actionSize = Rows(actions, Actions, "[N, action size] or [N]", 1, 2, count, path).Width;
        var rewards = Find(file, Rewards, path)!;
        Rows(rewards, Rewards, "[N]", 1, 1, count, path);
        var terminals = Find(file, Terminals, path)!;
        Rows(terminals, Terminals, "[N]", 1, 1, count, path);
        var timeouts = Find(file, Timeouts, path, required: false);
        if (timeouts is not null) Rows(timeouts, Timeouts, "[N]", 1, 1, count, path);
        var nextObservations = Find(file, NextObservations, path, required: false);
        if (nextObservations is not null)
        {
            int width = Rows(nextObservations, NextObservations, "[N, observation size]", 2, 2, count, path).Width;
            if (width != observationSize) throw new InvalidDataException($"{path}: '{NextObservations}' rows hold {width} values, '{Observations}' rows {observationSize}.");
        }

        var observationValues = ReadFloats(observations, Observations, path);
        var terminalValues = Flags(ReadFloats(terminals, Terminals, path));
        var timeoutValues = timeouts is null ? new bool[count] : Flags(ReadFloats(timeouts, Timeouts, path));
        var nextObservationValues = nextObservations is null
            ? DeriveNextObservations(observationValues, observationSize, terminalValues, timeoutValues)
            : ReadFloats(nextObservations, NextObservations, path);
        var actionValues = ReadFloats(actions, Actions, path);
        var rewardValues = ReadFloats(rewards, Rewards, path);
        var metadata = Metadata(file);
        return EpisodeDatasetFiles.Create(path, () => new EpisodeDataset(observationSize, actionSize, observationValues, actionValues,
            rewardValues, nextObservationValues, terminalValues, timeoutValues, metadata));
    }

    /// <summary>A root dataset; null when it is optional and absent.</summary>
    private static IH5Dataset? Find(IH5Group file, string name, string path, bool required = true)
    {
        if (!file.LinkExists(name)) return required ? throw new InvalidDataException($"{path}: no '{name}' dataset.") : null;
        return file.Get(name) as IH5Dataset ?? throw new InvalidDataException($"{path}: '{name}' is not a dataset.");
    }

    /// <summary>The dataset's rows and row width (1 for a vector), its rank between the given ones.</summary>
    private static (int Rows, int Width) Shape(IH5Dataset dataset, string name, string expected, int minRank, int maxRank, string path)
    {
        var dims = dataset.Space.Type == H5DataspaceType.Simple ? dataset.Space.Dimensions : [];
        if (dims.Length < minRank || dims.Length > maxRank)
            throw new InvalidDataException($"{path}: '{name}' is [{string.Join(", ", dims)}], expected {expected}.");
        ulong rows = dims[0], width = dims.Length == 2 ? dims[1] : 1;
        if (width > (ulong)Array.MaxLength || rows > (ulong)Array.MaxLength / Math.Max(width, 1))
            throw new InvalidDataException($"{path}: '{name}' is [{string.Join(", ", dims)}], too large to hold in memory.");
        return ((int)rows, (int)width);
    }

    /// <summary>As <see cref="Shape"/>, with one row per observation row.</summary>
    private static (int Rows, int Width) Rows(IH5Dataset dataset, string name, string expected, int minRank, int maxRank, int count, string path)
    {
        var shape = Shape(dataset, name, expected, minRank, maxRank, path);
        if (shape.Rows != count) throw new InvalidDataException($"{path}: '{name}' has {shape.Rows} rows, '{Observations}' {count}.");
        return shape;
    }

    /// <summary>
    /// The values as float32, from any float or integer type (an enum, as h5py stores bool, by its integer base).
    /// PureHDF reads only into an element type of the stored size, so each is read as itself and converted.
    /// </summary>
    private static float[] ReadFloats(IH5Dataset dataset, string name, string path)
    {
        var type = dataset.Type.Class == H5DataTypeClass.Enumerated ? dataset.Type.Enumeration.BaseType : dataset.Type;
        bool signed = type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned;
        return (type.Class, type.Size, signed) switch
        {
            (H5DataTypeClass.FloatingPoint, 4, _) => dataset.Read<float[]>(),
            (H5DataTypeClass.FloatingPoint, 8, _) => Floats(dataset.Read<double[]>()),
            (H5DataTypeClass.FixedPoint, 1, true) => Floats(dataset.Read<sbyte[]>()),
            (H5DataTypeClass.FixedPoint, 1, false) => Floats(dataset.Read<byte[]>()),
            (H5DataTypeClass.FixedPoint, 2, true) => Floats(dataset.Read<short[]>()),
            (H5DataTypeClass.FixedPoint, 2, false) => Floats(dataset.Read<ushort[]>()),
            (H5DataTypeClass.FixedPoint, 4, true) => Floats(dataset.Read<int[]>()),
            (H5DataTypeClass.FixedPoint, 4, false) => Floats(dataset.Read<uint[]>()),
            (H5DataTypeClass.FixedPoint, 8, true) => Floats(dataset.Read<long[]>()),
            (H5DataTypeClass.FixedPoint, 8, false) => Floats(dataset.Read<ulong[]>()),
            _ => throw new InvalidDataException($"{path}: '{name}' holds {dataset.Type.Class} values of {dataset.Type.Size} bytes, not floats or integers."),
        };
    }

    private static float[] Floats<T>(T[] values) where T : INumberBase<T> => Array.ConvertAll(values, float.CreateTruncating);

    private static bool[] Flags(float[] values) => Array.ConvertAll(values, v => v != 0);

    private static float[] DeriveNextObservations(float[] observations, int size, bool[] terminals, bool[] timeouts)
    {
        var next = new float[observations.Length];
        int count = terminals.Length;
        for (int row = 0; row < count; row++)
        {
            bool last = terminals[row] || timeouts[row] || row == count - 1;
            Array.Copy(observations, (last ? row : row + 1) * size, next, row * size, size);
        }
        return next;
    }

    private static Dictionary<string, string> Metadata(IH5Group file)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in file.Attributes())
            if (attribute.Space.Type == H5DataspaceType.Scalar && IsString(attribute.Type)) metadata[attribute.Name] = attribute.Read<string>();
        return metadata;
    }

    /// <summary>A fixed-length string, or a variable-length one (PureHDF shows it as a sequence of 1-byte characters).</summary>
    private static bool IsString(IH5DataType type) =>
        type.Class == H5DataTypeClass.String
        || type.Class == H5DataTypeClass.VariableLength && type.VariableLength.BaseType is { Class: H5DataTypeClass.FixedPoint, Size: 1 };
}
