using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// The one owner of a model while it serves: a background thread runs every generation, callers on any thread
/// submit rows and read their text as it streams out. Everything that serves a model (HTTP server, in-process
/// chat client, terminal chat) goes through it.
/// <para>
/// Batching policy (static batching): whenever the thread is idle it takes every row waiting, in arrival order,
/// up to <see cref="EngineOptions.MaxBatchSize"/> rows and as long as the longest prompt plus the longest
/// completion still fits the model's context, and decodes them as one <see cref="BatchGenerator"/> batch. Rows
/// arriving meanwhile wait for the next batch; finished rows leave the running batch (the generator compacts
/// them away) but no new row joins it. Rows wait in a bounded queue; a submission that does not fit is refused
/// with <see cref="QueueFullException"/>.
/// </para>
/// <para>
/// A row whose cancellation token fires is finished at the next decoding step (<see cref="FinishReason.Cancelled"/>)
/// while the rest of its batch goes on; one cancelled before its batch starts is never decoded.
/// </para>
/// The engine does not own the model: dispose the engine (which finishes every submitted row) before the model.
/// </summary>
public sealed class BatchingEngine : IAsyncDisposable
{
    private readonly CausalLM model;
    private readonly BatchGenerator generator;
    private readonly List<GenerationStream> waiting = [];
    private readonly object gate = new();
    private readonly Thread thread;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<GenerationStream> running = [];
    private bool closed;
    private long batches;
    private long rowsDecoded;
    private long rowsCancelled;

    public BatchingEngine(CausalLM model, Tokenizer tokenizer, EngineOptions? options = null)
    {
        Options = options ?? new EngineOptions();
        Options.Validate();
        this.model = model;
        Tokenizer = tokenizer;
        generator = new BatchGenerator(model, tokenizer)
        {
            OnToken = (row, token) =>
            {
                running[row].Push(token);
                Options.AfterToken?.Invoke();
            },
        };
        thread = new Thread(Loop) { IsBackground = true, Name = "rlpt generation" };
        thread.Start();
    }

    public EngineOptions Options { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>Prompt plus completion tokens a row may use.</summary>
    public int ContextLength => model.Config.MaxPositionEmbeddings;

    /// <summary>Batches decoded so far (concurrent requests served in fewer batches than requests share them).</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Rows that went through a batch so far.</summary>
    public long RowsDecoded => Interlocked.Read(ref rowsDecoded);

    /// <summary>Rows finished early because their caller cancelled (e.g. an HTTP client disconnected).</summary>
    public long RowsCancelled => Interlocked.Read(ref rowsCancelled);

    /// <summary>Rows waiting for a batch now.</summary>
    public int Waiting
    {
        get { lock (gate) return waiting.Count; }
    }

    /// <summary>The prompt of a conversation, rendered with <see cref="EngineOptions.RenderChat"/>.</summary>
    public IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatMessage> messages) => Tokenizer.Encode(Options.RenderChat(messages));

    /// <summary>Sampling for a chat answer: the assistant's turn ends at &lt;|im_end|&gt; as well.</summary>
    public static SamplingOptions ForChat(SamplingOptions options) =>
        options with { StopStrings = [.. options.StopStrings, SpecialTokens.ImEnd] };

    /// <summary>Completion length for a request that names none: the default, capped by what the context leaves.</summary>
    public int DefaultMaxTokens(int promptTokens) => Math.Max(1, Math.Min(Options.DefaultMaxTokens, ContextLength - promptTokens));

    /// <summary>Queues one row; see <see cref="Submit(IReadOnlyList{GenerationRequest}, CancellationToken)"/>.</summary>
    public GenerationStream Submit(GenerationRequest row, CancellationToken cancellation = default) => Submit([row], cancellation)[0];

    /// <summary>
    /// Queues rows (e.g. the n choices of one request) all or none. <paramref name="cancellation"/> finishes them
    /// early; it replaces each request's own <see cref="GenerationRequest.Cancellation"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, an empty prompt, or more rows than the queue holds.</exception>
    /// <exception cref="ContextLengthExceededException">A prompt plus its completion do not fit the context.</exception>
    /// <exception cref="QueueFullException">The queue has no room for these rows now.</exception>
    /// <exception cref="InvalidOperationException">The engine is shutting down.</exception>
    public IReadOnlyList<GenerationStream> Submit(IReadOnlyList<GenerationRequest> rows, CancellationToken cancellation = default)
    {
        if (rows.Count == 0) throw new ArgumentException("submit at least one row.");
        if (rows.Count > Options.QueueSize) throw new ArgumentException($"{rows.Count} rows can never fit a queue of {Options.QueueSize}.");
        foreach (var row in rows)
        {
            row.Options.Validate();
            if (row.PromptIds.Count == 0) throw new ArgumentException("the prompt must contain at least one token.");
            if (row.PromptIds.Count + row.Options.MaxNewTokens > ContextLength)
                throw new ContextLengthExceededException(ContextLength, row.PromptIds.Count, row.Options.MaxNewTokens);
        }
        var streams = rows.Select(r => new GenerationStream(r with { Cancellation = cancellation },
            new TextDeltaDecoder(Tokenizer, r.Options, generator.EndOfSequenceIds))).ToArray();
        lock (gate)
        {
            if (closed) throw new InvalidOperationException("the engine is shutting down.");
            if (waiting.Count + streams.Length > Options.QueueSize) throw new QueueFullException(waiting.Count);
            waiting.AddRange(streams);
            Monitor.PulseAll(gate);
        }
        return streams;
    }

    private void Loop()
    {
        try
        {
            while (NextBatch() is { } batch) Decode(batch);
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    /// <returns>The next batch, waiting for rows if there are none; null once closed and drained.</returns>
    private List<GenerationStream>? NextBatch()
    {
        lock (gate)
        {
            while (true)
            {
                var batch = new List<GenerationStream>();
                int longestPrompt = 0, longestCompletion = 0, taken = 0;
                foreach (var row in waiting)
                {
                    // Rows cancelled while waiting are finished without decoding; they count against nothing.
                    if (row.Request.Cancellation.IsCancellationRequested)
                    {
                        taken++;
                        Interlocked.Increment(ref rowsCancelled);
                        row.Complete(new GenerationResult([], [], "", FinishReason.Cancelled, row.PromptTokens));
                        continue;
                    }
                    int prompt = Math.Max(longestPrompt, row.PromptTokens);
                    int completion = Math.Max(longestCompletion, row.Request.Options.MaxNewTokens);
                    // Arrival order is kept: the first row that does not fit closes the batch.
                    if (batch.Count == Options.MaxBatchSize || prompt + completion > ContextLength) break;
                    (longestPrompt, longestCompletion) = (prompt, completion);
                    batch.Add(row);
                    taken++;
                }
                waiting.RemoveRange(0, taken);
                if (batch.Count > 0) return batch;
                if (closed) return null;
                Monitor.Wait(gate);
            }
        }
    }

    private void Decode(List<GenerationStream> batch)
    {
        running = batch;
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref rowsDecoded, batch.Count);
        try
        {
            Options.BeforeBatch?.Invoke();
            var results = generator.Generate(batch.Select(s => s.Request).ToArray());
            Interlocked.Add(ref rowsCancelled, results.Count(r => r.FinishReason == FinishReason.Cancelled));
            for (int i = 0; i < batch.Count; i++) batch[i].Complete(results[i]);
        }
        catch (Exception error)
        {
            // The rows were validated on submission, so this is a real fault; their callers see it, the engine goes on.
            foreach (var row in batch) row.Fail(error);
        }
        finally
        {
            running = [];
        }
    }

    /// <summary>Refuses new rows, finishes every row already submitted, then stops the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            closed = true;
            Monitor.PulseAll(gate);
        }
        await stopped.Task.ConfigureAwait(false);
    }
}
