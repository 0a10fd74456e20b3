using System.Buffers.Binary;
using Google.Protobuf;

namespace Rlpt.Telemetry;

/// <summary>
/// Writes a run's metrics as TensorBoard event files (<c>tensorboard --logdir runs/</c>), with the names of
/// metrics.jsonl: one <c>Event</c> per step whose <c>Summary</c> holds every finite number as a scalar. The file is a
/// TFRecord stream (length, masked CRC-32C of the length, the Event's protobuf bytes, their masked CRC-32C), encoded
/// with Google.Protobuf's wire writer. A resumed run starts a new file with a SessionLog START event at the resume step,
/// which tells TensorBoard to drop the steps logged after that checkpoint, as metrics.jsonl does.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    public const string FolderName = "tensorboard";

    /// <summary>What <c>--report-to</c> accepts besides metrics.jsonl, which is always written.</summary>
    public static IReadOnlyCollection<string> Targets { get; } = ["none", "tensorboard"];

    public static void ValidateTarget(string target)
    {
        if (!Targets.Contains(target)) throw new ArgumentException($"--report-to must be one of {string.Join(", ", Targets)} (got '{target}').");
    }

    private static int sessions;
    private readonly FileStream stream;

    public TensorBoardWriter(string runDirectory, int resumedAtStep = -1)
    {
        var folder = Path.Combine(runDirectory, FolderName);
        Directory.CreateDirectory(folder);
        // TensorBoard reads every file named events.out.tfevents.*; time, host, process and a counter keep each session's apart.
        var name = $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref sessions)}";
        stream = new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteEvent(output => { output.WriteRawTag(26); output.WriteString("brain.Event:2"); }, step: 0);
        // SessionLog { status: START } (Event field 6; SessionLog field 1 = 1).
        if (resumedAtStep >= 0) WriteEvent(output => { output.WriteRawTag(50); output.WriteLength(2); output.WriteRawTag(8); output.WriteEnum(1); }, resumedAtStep);
    }

    /// <summary>One step's numbers; anything that is not a finite number (text, null, NaN) is left out.</summary>
    public void Write(int step, IReadOnlyDictionary<string, object> metrics)
    {
        var values = metrics.Where(kv => kv.Key != "step").Select(kv => (kv.Key, Value: Number(kv.Value))).Where(v => v.Value is double d && double.IsFinite(d)).ToArray();
        WriteEvent(output =>
        {
            // Summary (Event field 5) of Value { tag = 1; simple_value = 2 } (Summary field 1).
            var summary = new MemoryStream();
            var summaryOutput = new CodedOutputStream(summary);
            foreach (var (tag, value) in values)
            {
                var item = new MemoryStream();
                var itemOutput = new CodedOutputStream(item);
                itemOutput.WriteRawTag(10);
                itemOutput.WriteString(tag);
                itemOutput.WriteRawTag(21);
                itemOutput.WriteFloat((float)value!.Value);
                itemOutput.Flush();
                summaryOutput.WriteRawTag(10);
                summaryOutput.WriteBytes(ByteString.CopyFrom(item.ToArray()));
            }
            summaryOutput.Flush();
            output.WriteRawTag(42);
            output.WriteBytes(ByteString.CopyFrom(summary.ToArray()));
        }, step);
    }

    private static double? Number(object value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => null,
    };

    /// <summary>Event { wall_time = 1 (double); step = 2 (int64); ... } framed as a TFRecord and flushed.</summary>
    private void WriteEvent(Action<CodedOutputStream> body, long step)
    {
        var bytes = new MemoryStream();
        var output = new CodedOutputStream(bytes);
        output.WriteRawTag(9);
        output.WriteDouble(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        output.WriteRawTag(16);
        output.WriteInt64(step);
        body(output);
        output.Flush();
        var data = bytes.ToArray();
        Span<byte> length = stackalloc byte[8], crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        stream.Write(length);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(length));
        stream.Write(crc);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(data));
        stream.Write(crc);
        stream.Flush();
    }

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated and offset. System.IO.Hashing has only the IEEE CRC-32.</summary>
    internal static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public void Dispose() => stream.Dispose();
}
