using System.Buffers.Binary;
using Google.Protobuf;
using Rlpt.Telemetry;
using Rlpt.Tests.Training.Rl;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Telemetry;

public sealed class TensorBoardWriterTests
{
    /// <summary>CRC-32C bit by bit (reflected polynomial 0x82F63B78), independent of the writer's table.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78 & (0u - (crc & 1)));
        }
        return ~crc;
    }

    private static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xA282EAD8;

    private sealed record Event(double WallTime, long Step, string? FileVersion, bool SessionStart, Dictionary<string, float> Scalars);

    /// <summary>Reads TFRecord framing (checking both checksums) and the Event fields TensorBoard uses.</summary>
    private static List<Event> ReadEvents(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (int offset = 0; offset < bytes.Length;)
        {
            var lengthBytes = bytes.AsSpan(offset, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            Assert.Equal(Mask(Crc32C(lengthBytes)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)));
            var data = bytes.AsSpan(offset + 12, (int)length).ToArray();
            Assert.Equal(Mask(Crc32C(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length, 4)));
            offset += 16 + (int)length;

            var input = new CodedInputStream(data);
            double wallTime = 0; long step = 0; string? version = null; bool start = false;
            var scalars = new Dictionary<string, float>();
            for (uint tag; (tag = input.ReadTag()) != 0;)
            {
                switch (tag)
                {
                    case 9: wallTime = input.ReadDouble(); break;
                    case 16: step = input.ReadInt64(); break;
                    case 26: version = input.ReadString(); break;
                    case 50:
                        var session = new CodedInputStream(input.ReadBytes().ToByteArray());
                        start = session.ReadTag() == 8 && session.ReadEnum() == 1;
                        break;
                    case 42:
                        var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                        for (uint valueTag; (valueTag = summary.ReadTag()) != 0;)
                        {
                            Assert.Equal(10u, valueTag);
                            var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
                            string name = ""; float number = float.NaN;
                            for (uint field; (field = value.ReadTag()) != 0;)
                                if (field == 10) name = value.ReadString();
                                else if (field == 21) number = value.ReadFloat();
                                else value.SkipLastField();
                            scalars[name] = number;
                        }
                        break;
                    default: input.SkipLastField(); break;
                }
            }
            events.Add(new Event(wallTime, step, version, start, scalars));
        }
        return events;
    }

    [Fact]
    public void TheChecksumIsTfRecordsMaskedCrc32C()
    {
        var check = "123456789"u8;
        Assert.Equal(0xE3069283u, Crc32C(check)); // the published CRC-32C check value
        Assert.Equal(Mask(0xE3069283u), TensorBoardWriter.MaskedCrc32C(check));
    }

    [Fact]
    public void ARunsMetricsReadBackFromItsEventFilesAndAResumeTellsTensorBoardToDropLaterSteps()
    {
        using var dir = new TestDirectory();
        var config = new GrpoConfig { NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 4, SaveEvery = 2, LogCompletionsEvery = 0, MicroBatchSize = 8 };
        void Train(bool resume, Action<StepReport>? onStep = null, CancellationToken cancellation = default)
        {
            var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
            using var _ = model;
            using var objective = new FixedPromptObjective("the cat", tokenizer, new StartsWithDigit());
            using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU);
            new TrainingRun(dir.Path) { ReportTo = "tensorboard", OnStep = onStep }.Run(algorithm, resume, cancellation);
        }
        using var cancel = new CancellationTokenSource();
        Train(false, s => { if (s.Step == 3) cancel.Cancel(); }, cancel.Token);
        Train(true);

        var files = Directory.GetFiles(Path.Combine(dir.Path, TensorBoardWriter.FolderName), "events.out.tfevents.*").OrderBy(f => int.Parse(f.Split('.')[^1])).ToArray();
        Assert.Equal(2, files.Length);
        var first = ReadEvents(files[0]);
        var second = ReadEvents(files[1]);
        Assert.Equal("brain.Event:2", first[0].FileVersion);
        Assert.Equal([1L, 2, 3], first.Skip(1).Select(e => e.Step));
        // The interrupted run saved at step 3 (on Ctrl-C), so the resumed session starts there and logs step 4.
        Assert.True(second[1].SessionStart);
        Assert.Equal(3, second[1].Step);
        Assert.Equal([4L], second.Skip(2).Select(e => e.Step));

        var lines = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        var logged = first.Skip(1).Take(3).Concat(second.Skip(2)).ToArray();
        Assert.Equal(lines.Count, logged.Length);
        for (int i = 0; i < lines.Count; i++)
            foreach (var (name, value) in lines[i].Where(kv => kv.Key != "step" && kv.Value.ValueKind == System.Text.Json.JsonValueKind.Number))
                Assert.Equal((float)value.GetDouble(), logged[i].Scalars[name]);
        Assert.Contains("reward", logged[0].Scalars.Keys);
        Assert.Contains("rewards/digit/mean", logged[0].Scalars.Keys);
        Assert.All(logged, e => Assert.InRange(e.WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
    }
}
