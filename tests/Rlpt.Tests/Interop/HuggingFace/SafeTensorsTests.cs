using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Modeling;
using TorchSharp;

namespace Rlpt.Tests.Interop.HuggingFace;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rlpt-safetensors-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathFor(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>Builds a file straight from the format description, independent of our writer.</summary>
    private static byte[] RawFile(string headerJson, byte[] data, ulong? headerLengthOverride = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var padded = new byte[(header.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        header.CopyTo(padded, 0);
        var file = new byte[8 + padded.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, headerLengthOverride ?? (ulong)padded.Length);
        padded.CopyTo(file, 8);
        data.CopyTo(file, 8 + padded.Length);
        return file;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    private static void AssertSame(torch.Tensor expected, torch.Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), $"values differ: {expected} vs {actual}");
    }

    [Fact]
    public void SaveThenLoad_RoundTripsAllDtypesAndShapesExactly()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["f32"] = torch.randn(3, 4),
            ["f16"] = torch.randn(2, 5).to(torch.float16),
            ["bf16"] = torch.randn(7).to(torch.bfloat16),
            ["f64"] = torch.randn(2, 2, 2, dtype: torch.float64),
            ["i64"] = torch.tensor(new long[] { long.MinValue, -1, 0, long.MaxValue }).reshape(2, 2),
            ["i32"] = torch.tensor(new[] { int.MinValue, 0, int.MaxValue }),
            ["i16"] = torch.tensor(new short[] { short.MinValue, -5, short.MaxValue }),
            ["i8"] = torch.tensor(new sbyte[] { -128, -1, 127 }),
            ["u8"] = torch.arange(256, dtype: torch.uint8),
            ["bool"] = torch.tensor(new[] { true, false, true }),
            ["scalar"] = torch.tensor(3.25f),
            ["empty"] = torch.empty(0, 3),
            ["transposed"] = torch.arange(12, dtype: torch.float32).reshape(3, 4).t(),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "42" };
        var path = PathFor("model.safetensors");

        SafeTensors.Save(path, tensors, metadata);

        using (var file = SafeTensors.Open(path))
        {
            Assert.Equal(metadata, file.Metadata);
            Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Names);
            Assert.Equal(Array.Empty<long>(), file.GetInfo("scalar").Shape);
            Assert.Equal("BF16", file.GetInfo("bf16").DType);
            Assert.Equal(new long[] { 4, 3 }, file.GetInfo("transposed").Shape);
        }
        var loaded = SafeTensors.Load(path);
        Assert.Equal(tensors.Count, loaded.Count);
        foreach (var (name, expected) in tensors)
            AssertSame(expected, loaded[name]);
    }

    [Fact]
    public void Open_ParsesHandBuiltFile_FollowingTheSpec()
    {
        using var scope = torch.NewDisposeScope();
        // Data order differs from header order on purpose: offsets, not key order, locate the data.
        const string header = """
            {"__metadata__":{"format":"pt"},
             "b":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]},
             "a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}
            """;
        var data = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(data, -42);
        Floats(1.5f, -2f, 0.25f, 1e10f).CopyTo(data, 8);
        var path = PathFor("hand.safetensors");
        File.WriteAllBytes(path, RawFile(header, data));

        using var file = SafeTensors.Open(path);
        Assert.Equal(new[] { "a", "b" }, file.Names);
        Assert.Equal("pt", file.Metadata["format"]);
        var b = file.Read("b");
        Assert.Equal(torch.ScalarType.Float32, b.dtype);
        Assert.Equal(new long[] { 2, 2 }, b.shape);
        Assert.Equal(new[] { 1.5f, -2f, 0.25f, 1e10f }, b.data<float>().ToArray());
        var a = file.Read("a");
        Assert.Equal(torch.ScalarType.Int64, a.dtype);
        Assert.Equal(-42L, a.item<long>());
    }

    [Fact]
    public void Save_WritesSpecCompliantHeaderAndData()
    {
        using var scope = torch.NewDisposeScope();
        var path = PathFor("out.safetensors");
        SafeTensors.Save(path, new Dictionary<string, torch.Tensor>
        {
            ["x"] = torch.tensor(new[] { 1f, 2f, 3f, -4f, 5f, 6f }).reshape(2, 3),
            ["a"] = torch.tensor(new sbyte[] { 1, 2, 3, 4, 5 }),
        });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 5 + 24, bytes.Length);

        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var a = header.RootElement.GetProperty("a");
        Assert.Equal("I8", a.GetProperty("dtype").GetString());
        Assert.Equal("[5]", a.GetProperty("shape").GetRawText());
        Assert.Equal("[0,5]", a.GetProperty("data_offsets").GetRawText());
        var x = header.RootElement.GetProperty("x");
        Assert.Equal("F32", x.GetProperty("dtype").GetString());
        Assert.Equal("[2,3]", x.GetProperty("shape").GetRawText());
        Assert.Equal("[5,29]", x.GetProperty("data_offsets").GetRawText());
        Assert.False(header.RootElement.TryGetProperty("__metadata__", out _));

        var dataStart = 8 + headerLength;
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, bytes[dataStart..(dataStart + 5)]);
        Assert.Equal(Floats(1f, 2f, 3f, -4f, 5f, 6f), bytes[(dataStart + 5)..]);
    }

    [Fact]
    public void Load_ConvertsHalfPrecisionToFloat32_AndLeavesIntegersAlone()
    {
        using var scope = torch.NewDisposeScope();
        var values = new[] { 1.5f, -2f, 0.333f };
        var path = PathFor("half.safetensors");
        SafeTensors.Save(path, new Dictionary<string, torch.Tensor>
        {
            ["bf16"] = torch.tensor(values).to(torch.bfloat16),
            ["f16"] = torch.tensor(values).to(torch.float16),
            ["ids"] = torch.tensor(new long[] { 7, 8 }),
        });

        var loaded = SafeTensors.Load(path, torch.ScalarType.Float32);

        Assert.Equal(torch.ScalarType.Float32, loaded["bf16"].dtype);
        Assert.Equal(torch.ScalarType.Float32, loaded["f16"].dtype);
        Assert.Equal(torch.ScalarType.Int64, loaded["ids"].dtype);
        var bf16 = loaded["bf16"].data<float>().ToArray();
        var f16 = loaded["f16"].data<float>().ToArray();
        Assert.Equal(1.5f, bf16[0]);
        Assert.Equal(-2f, bf16[1]);
        Assert.Equal(0.333f, bf16[2], 0.002f);
        Assert.Equal(1.5f, f16[0]);
        Assert.Equal(-2f, f16[1]);
        Assert.Equal(0.333f, f16[2], 0.0002f);
    }

    [Fact]
    public void Read_DecodesHandBuiltBf16Bits()
    {
        using var scope = torch.NewDisposeScope();
        // bf16 is the top half of an IEEE float32: 0x3FC0 = 1.5, 0xC000 = -2, 0x3EAB = 0.333984375.
        byte[] data = [0xC0, 0x3F, 0x00, 0xC0, 0xAB, 0x3E];
        var path = PathFor("bf16.safetensors");
        File.WriteAllBytes(path, RawFile("""{"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}}""", data));

        using var file = SafeTensors.Open(path);
        var w = file.Read("w", torch.ScalarType.Float32);

        Assert.Equal(new[] { 1.5f, -2f, 0.333984375f }, w.data<float>().ToArray());
    }

    [Fact]
    public void Open_FileShorterThanEightBytes_Throws()
    {
        var path = PathFor("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        AssertInvalid(path, "shorter than");
    }

    [Fact]
    public void Open_HeaderLengthBeyondFile_Throws()
    {
        var path = PathFor("long-header.safetensors");
        File.WriteAllBytes(path, RawFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1f), headerLengthOverride: 1000));

        AssertInvalid(path, "runs past the end");
    }

    [Fact]
    public void Open_TruncatedData_Throws()
    {
        var path = PathFor("truncated.safetensors");
        var bytes = RawFile("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", Floats(1f, 2f));
        File.WriteAllBytes(path, bytes[..^3]);

        AssertInvalid(path, "outside the 5-byte data section");
    }

    [Theory]
    [InlineData("{not json", 4, "not valid JSON")]
    [InlineData("[1,2]", 0, "not a JSON object")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}""", 4, "unknown or unsupported dtype 'Q4'")]
    [InlineData("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", 4, "no string 'dtype'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}""", 4, "outside the 4-byte data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "outside the 4-byte data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "spans 8 bytes but F32 shape [3] needs 12")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap or leave a gap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "overlap or leave a gap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "tensors cover 4 bytes but the data section holds 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "lists 'a' twice")]
    [InlineData("""{"__metadata__":{"step":3}}""", 0, "metadata value for 'step' is not a string")]
    [InlineData("""{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,1]}}""", 1, "overflows")]
    public void Open_CorruptHeader_ThrowsNamingFileAndProblem(string header, int dataLength, string problem)
    {
        var path = PathFor("corrupt.safetensors");
        File.WriteAllBytes(path, RawFile(header, new byte[dataLength]));

        AssertInvalid(path, problem);
    }

    private static void AssertInvalid(string path, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private string WriteShardedFolder()
    {
        var folder = PathFor("sharded");
        Directory.CreateDirectory(folder);
        using var scope = torch.NewDisposeScope();
        SafeTensors.Save(Path.Combine(folder, "model-00001-of-00002.safetensors"), new Dictionary<string, torch.Tensor>
        {
            ["embed.weight"] = torch.arange(6, dtype: torch.float32).reshape(2, 3),
            ["layers.0.weight"] = torch.tensor(new[] { 1.5f, -2f }).to(torch.bfloat16),
        });
        SafeTensors.Save(Path.Combine(folder, "model-00002-of-00002.safetensors"), new Dictionary<string, torch.Tensor>
        {
            ["lm_head.weight"] = torch.tensor(new[] { 0.5f }),
        });
        File.WriteAllText(Path.Combine(folder, SafeTensors.IndexFileName), """
            {"metadata": {"total_size": 24},
             "weight_map": {
               "embed.weight": "model-00001-of-00002.safetensors",
               "layers.0.weight": "model-00001-of-00002.safetensors",
               "lm_head.weight": "model-00002-of-00002.safetensors"}}
            """);
        return folder;
    }

    [Fact]
    public void ReadShardIndex_ReturnsWeightMap()
    {
        var folder = WriteShardedFolder();

        var map = SafeTensors.ReadShardIndex(Path.Combine(folder, SafeTensors.IndexFileName));

        Assert.Equal(3, map.Count);
        Assert.Equal("model-00002-of-00002.safetensors", map["lm_head.weight"]);
    }

    [Fact]
    public void LoadFolder_LoadsAllShards()
    {
        using var scope = torch.NewDisposeScope();
        var folder = WriteShardedFolder();

        var loaded = SafeTensors.LoadFolder(folder, torch.ScalarType.Float32);

        Assert.Equal(["embed.weight", "layers.0.weight", "lm_head.weight"], loaded.Keys.Order(StringComparer.Ordinal));
        AssertSame(torch.arange(6, dtype: torch.float32).reshape(2, 3), loaded["embed.weight"]);
        AssertSame(torch.tensor(new[] { 1.5f, -2f }), loaded["layers.0.weight"]);
        AssertSame(torch.tensor(new[] { 0.5f }), loaded["lm_head.weight"]);
    }

    [Fact]
    public void LoadFolder_PrefersSingleFile()
    {
        using var scope = torch.NewDisposeScope();
        var folder = PathFor("single");
        SafeTensors.Save(Path.Combine(folder, SafeTensors.SingleFileName), new Dictionary<string, torch.Tensor> { ["w"] = torch.ones(2) });

        var loaded = SafeTensors.LoadFolder(folder);

        AssertSame(torch.ones(2), Assert.Single(loaded).Value);
    }

    [Fact]
    public void LoadFolder_MissingShard_ThrowsNamingIt()
    {
        var folder = WriteShardedFolder();
        File.Delete(Path.Combine(folder, "model-00002-of-00002.safetensors"));

        var error = Assert.Throws<FileNotFoundException>(() => SafeTensors.LoadFolder(folder));

        Assert.Contains("model-00002-of-00002.safetensors", error.Message);
    }

    [Fact]
    public void LoadFolder_IndexNamingAbsentTensor_Throws()
    {
        var folder = WriteShardedFolder();
        var index = Path.Combine(folder, SafeTensors.IndexFileName);
        File.WriteAllText(index, """{"weight_map": {"ghost": "model-00002-of-00002.safetensors"}}""");

        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadFolder(folder));

        Assert.Contains(index, error.Message);
        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void LoadFolder_EmptyFolder_Throws()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SafeTensors.LoadFolder(_dir.FullName));

        Assert.Contains(SafeTensors.IndexFileName, error.Message);
    }
}
