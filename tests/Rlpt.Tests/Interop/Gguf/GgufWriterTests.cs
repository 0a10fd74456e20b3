using Rlpt.Interop.Gguf;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.Gguf;

public sealed class GgufWriterTests
{
    [Fact]
    public void EveryValueTypeAndTensorRoundTrips()
    {
        using var dir = new TestDirectory();
        var writer = new GgufWriter();
        writer.Add("u8", new GgufValue(GgufValueType.UInt8, (byte)200));
        writer.Add("i16", new GgufValue(GgufValueType.Int16, (short)-3));
        writer.Add("u64", new GgufValue(GgufValueType.UInt64, ulong.MaxValue));
        writer.Add("f64", new GgufValue(GgufValueType.Float64, Math.PI));
        writer.Add("yes", GgufValue.Of(true));
        writer.Add("text", GgufValue.Of("é ✓ Ġ"));
        writer.Add("strings", GgufValue.Of(["a b", "", "ü"]));
        writer.Add("floats", GgufValue.Of([1.5f, -2f]));
        using var odd = arange(7, dtype: ScalarType.Float32); // 28 bytes: the next tensor needs padding
        using var matrix = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        writer.AddTensor("odd", odd, GgufTensorType.F32);
        writer.AddTensor("matrix", matrix, GgufTensorType.F16);
        writer.Save(dir.File("t.gguf"));

        var file = GgufFile.Read(dir.File("t.gguf"));
        Assert.Equal((byte)200, file.Metadata["u8"].Value);
        Assert.Equal((short)-3, file.Metadata["i16"].Value);
        Assert.Equal(ulong.MaxValue, file.Metadata["u64"].Value);
        Assert.Equal(Math.PI, file.Metadata["f64"].Value);
        Assert.True(file.Metadata["yes"].AsBool());
        Assert.Equal("é ✓ Ġ", file.Metadata["text"].AsString());
        Assert.Equal(["a b", "", "ü"], file.Metadata["strings"].AsArray<string>());
        Assert.Equal([1.5f, -2f], file.Metadata["floats"].AsArray<float>());
        Assert.Equal(32u, file.Metadata[GgufFormat.AlignmentKey].AsUInt32());
        Assert.Equal(32, file.Tensor("matrix").Offset);
        Assert.Equal(new long[] { 3, 2 }, file.Tensor("matrix").Dimensions);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6], file.ReadTensor("odd"));
        Assert.Equal([0f, 1, 2, 3, 4, 5], file.ReadTensor("matrix"));
    }

    [Fact]
    public void DuplicateKeysAndTensorsAndAlignmentOverrideAreRefused()
    {
        var writer = new GgufWriter();
        writer.Add("k", GgufValue.Of(1u));
        Assert.Throws<ArgumentException>(() => writer.Add("k", GgufValue.Of(2u)));
        Assert.Throws<ArgumentException>(() => writer.Add(GgufFormat.AlignmentKey, GgufValue.Of(64u)));
        using var t = zeros(2);
        writer.AddTensor("t", t, GgufTensorType.F32);
        Assert.Throws<ArgumentException>(() => writer.AddTensor("t", t, GgufTensorType.F32));
    }
}
