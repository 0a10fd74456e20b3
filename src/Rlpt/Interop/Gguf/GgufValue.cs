namespace Rlpt.Interop.Gguf;

/// <summary>
/// One metadata value. <see cref="Value"/> is the CLR value of <see cref="Type"/> (uint for UInt32, string for
/// String, ...); an array holds a CLR array of <see cref="ElementType"/> values (GGUF arrays are homogeneous).
/// </summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8)
{
    public static GgufValue Of(string value) => new(GgufValueType.String, value);
    public static GgufValue Of(uint value) => new(GgufValueType.UInt32, value);
    public static GgufValue Of(int value) => new(GgufValueType.Int32, value);
    public static GgufValue Of(float value) => new(GgufValueType.Float32, value);
    public static GgufValue Of(bool value) => new(GgufValueType.Bool, value);
    public static GgufValue Of(IReadOnlyList<string> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.String);
    public static GgufValue Of(IReadOnlyList<int> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Int32);
    public static GgufValue Of(IReadOnlyList<float> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Float32);

    public string AsString() => (string)Value;
    public uint AsUInt32() => (uint)Value;
    public float AsFloat32() => (float)Value;
    public bool AsBool() => (bool)Value;
    public T[] AsArray<T>() => (T[])Value;
}
