using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Rlpt.Cli.Interop.LlamaCpp;

/// <summary>
/// A GGUF model run by llama.cpp (through LLamaSharp's CPU backend): tokenization, logits and greedy decoding,
/// one sequence or many in one batch. The independent implementation Rlpt's GGUF export is checked and timed against.
/// </summary>
public sealed class LlamaCppModel : IDisposable
{
    private static readonly Lock LogSetup = new();
    private static bool _logSilenced;
    private readonly LLamaWeights _weights;
    private readonly int _threads;
    private readonly string _path;

    public LlamaCppModel(string path, int threads = 0)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GGUF file not found: {path}", path);
        SilenceNativeLog();
        _path = path;
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _weights = LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = 0, Threads = _threads });
    }

    /// <summary>llama.cpp's tokenization: no BOS added, special tokens in the text matched as such (as Rlpt does).</summary>
    public int[] Tokenize(string text) =>
        _weights.NativeHandle.Tokenize(text, false, true, Encoding.UTF8).Select(t => (int)t).ToArray();

    /// <summary>Logits [position][vocab] of every position of one sequence.</summary>
    public float[][] Logits(IReadOnlyList<int> ids)
    {
        using var context = CreateContext(ids.Count, sequences: 1);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++) batch.Add(ids[i], i, (LLamaSeqId)0, logits: true);
        Decode(context, batch);
        return Enumerable.Range(0, ids.Count).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray()).ToArray();
    }

    /// <summary>
    /// Greedy continuations of several prompts decoded together: one llama_decode per step for all sequences, each
    /// with its own KV cells. Every row yields exactly <paramref name="newTokens"/> tokens (end-of-text ignored).
    /// </summary>
    public int[][] GenerateGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int newTokens)
    {
        int longest = prompts.Max(p => p.Count);
        using var context = CreateContext(longest + newTokens, prompts.Count);
        var batch = new LLamaBatch();
        var logitIndex = new int[prompts.Count];
        for (int s = 0; s < prompts.Count; s++)
        {
            for (int i = 0; i < prompts[s].Count; i++)
                batch.Add(prompts[s][i], i, (LLamaSeqId)s, logits: i == prompts[s].Count - 1);
            logitIndex[s] = batch.TokenCount - 1;
        }
        var outputs = prompts.Select(_ => new int[newTokens]).ToArray();
        for (int step = 0; step < newTokens; step++)
        {
            Decode(context, batch);
            var next = logitIndex.Select(i => ArgMax(context.NativeHandle.GetLogitsIth(i))).ToArray();
            batch.Clear();
            for (int s = 0; s < prompts.Count; s++)
            {
                outputs[s][step] = next[s];
                batch.Add(next[s], prompts[s].Count + step, (LLamaSeqId)s, logits: true);
                logitIndex[s] = s;
            }
        }
        return outputs;
    }

    public void Dispose() => _weights.Dispose();

    // F32 key/value cache and no flash attention: llama.cpp's defaults (F16 cache) would round what Rlpt keeps in F32.
    // Without a unified cache llama.cpp splits the context evenly between sequences, hence length × sequences.
    private LLamaContext CreateContext(int length, int sequences)
    {
        uint total = (uint)(length * sequences);
        var parameters = new ModelParams(_path)
        {
            ContextSize = total,
            BatchSize = Math.Max(total, 512),
            UBatchSize = Math.Max(total, 512),
            SeqMax = (uint)sequences,
            Threads = _threads,
            BatchThreads = _threads,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        return _weights.CreateContext(parameters);
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not decode the batch: {result}.");
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    // llama.cpp logs every load to stderr; the callback must be set before the native library is first used.
    private static void SilenceNativeLog()
    {
        lock (LogSetup)
        {
            if (_logSilenced) return;
            NativeLibraryConfig.All.WithLogCallback((_, _) => { });
            _logSilenced = true;
        }
    }
}
