using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// The one owner of a model while it serves: a background thread runs every generation, callers on any thread
/// submit rows and read their text as it streams out. Everything that serves a model (HTTP server, in-process
/// chat client, terminal chat) goes through it.
/// <para>
/// Scheduling (<see cref="EngineOptions.Scheduler"/>). Continuous batching (default): before every decoding step the
/// thread admits the rows waiting, in arrival order, while the running batch holds fewer than
/// <see cref="EngineOptions.MaxBatchSize"/> rows and its cache still fits the model's context; a finished row leaves at
/// once, so a short request never waits for a long one. Static batching: rows are admitted only when the batch is
/// empty, and the batch runs to its end. Either way the first row that does not fit waits, with every row behind it;
/// rows wait in a bounded queue, and a submission that does not fit is refused with <see cref="QueueFullException"/>.
/// </para>
/// <para>
/// A row whose cancellation token fires is finished at the next decoding step (<see cref="FinishReason.Cancelled"/>)
/// while the rest of its batch goes on; one cancelled before it is admitted is never decoded.
/// </para>
/// <para>
/// Weights are replaced by <see cref="UpdateWeightsAsync"/> between steps: admission pauses, the rows running finish on
/// the old weights, the update runs on the engine thread, admission resumes. Nothing is dropped; every result carries
/// the <see cref="WeightVersion"/> that generated it.
/// </para>
/// The engine does not own the model: dispose the engine (which finishes every submitted row) before the model.
/// </summary>
public sealed class BatchingEngine : IAsyncDisposable
{
    private readonly CausalLM model;
    private readonly BatchGenerator generator;
    private readonly DecodingBatch batch;
    private readonly Dictionary<int, GenerationStream> running = [];
    private readonly List<GenerationStream> waiting = [];
    private readonly Queue<WeightUpdate> updates = new();
    private readonly object gate = new();
    private readonly Thread thread;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool closed;
    private int nextId;
    private long batches;
    private long rowsDecoded;
    private long rowsCancelled;
    private string weightVersion;

    public BatchingEngine(CausalLM model, Tokenizer tokenizer, EngineOptions? options = null)
    {
        Options = options ?? new EngineOptions();
        Options.Validate();
        this.model = model;
        Tokenizer = tokenizer;
        weightVersion = Options.WeightVersion;
        generator = new BatchGenerator(model, tokenizer)
        {
            OnToken = (row, token) =>
            {
                running[row].Push(token);
                Options.AfterToken?.Invoke();
            },
        };
        batch = generator.NewBatch(Finished, Options.MaxBatchSize);
        thread = new Thread(Loop) { IsBackground = true, Name = "rlpt generation" };
        thread.Start();
    }

    public EngineOptions Options { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>The architecture served; a weight update must keep it.</summary>
    public ModelConfig ModelConfig => model.Config;

    /// <summary>Prompt plus completion tokens a row may use.</summary>
    public int ContextLength => model.Config.MaxPositionEmbeddings;

    /// <summary>Admissions so far: times rows joined a batch (concurrent requests admitted together count once).</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Rows that went through a batch so far.</summary>
    public long RowsDecoded => Interlocked.Read(ref rowsDecoded);

    /// <summary>Rows finished early because their caller cancelled (e.g. an HTTP client disconnected).</summary>
    public long RowsCancelled => Interlocked.Read(ref rowsCancelled);

    /// <summary>The name of the weights serving now (<see cref="EngineOptions.WeightVersion"/>, then each update's).</summary>
    public string WeightVersion => Volatile.Read(ref weightVersion);

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
    /// <exception cref="EngineStoppedException">The engine is shutting down.</exception>
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
            if (closed) throw new EngineStoppedException("the engine is shutting down.");
            if (waiting.Count + streams.Length > Options.QueueSize) throw new QueueFullException(waiting.Count);
            waiting.AddRange(streams);
            Monitor.PulseAll(gate);
        }
        return streams;
    }

    /// <summary>
    /// Runs <paramref name="update"/> on the engine thread once the rows running now have finished, with no row admitted
    /// meanwhile, then serves as <paramref name="version"/>. An update that throws leaves the version as it was, and
    /// its task carries the error.
    /// </summary>
    public Task UpdateWeightsAsync(Action<CausalLM> update, string version)
    {
        var pending = new WeightUpdate(update, version);
        lock (gate)
        {
            if (closed) throw new EngineStoppedException("the engine is shutting down.");
            updates.Enqueue(pending);
            Monitor.PulseAll(gate);
        }
        return pending.Done.Task;
    }

    private void Loop()
    {
        try
        {
            while (true)
            {
                List<(int Id, GenerationRequest Request)> admitted;
                lock (gate)
                {
                    while (true)
                    {
                        if (updates.Count > 0 && batch.Running == 0) ApplyUpdate(updates.Dequeue());
                        admitted = updates.Count > 0 ? [] : Admissions();
                        if (admitted.Count > 0 || batch.Running > 0) break;
                        if (closed && waiting.Count == 0 && updates.Count == 0) return;
                        if (updates.Count == 0) Monitor.Wait(gate);
                    }
                }
                Decode(admitted);
            }
        }
        finally
        {
            foreach (var pending in updates) pending.Done.TrySetException(new EngineStoppedException("the engine stopped before the weight update."));
            batch.Dispose();
            stopped.TrySetResult();
        }
    }

    /// <summary>
    /// The waiting rows that join now, in arrival order, as their batch ids (called under the lock, on the engine
    /// thread). Joining costs a prefill and a copy of the running batch's cache, so a running batch takes rows in
    /// groups: at once when every waiting row fits, otherwise once a quarter of the batch (or more) can join.
    /// </summary>
    private List<(int Id, GenerationRequest Request)> Admissions()
    {
        var joining = new List<(int Id, GenerationRequest Request)>();
        if (Options.Scheduler == EngineOptions.StaticScheduler && batch.Running > 0) return joining;
        int taken = 0;
        foreach (var row in waiting)
        {
            // Rows cancelled while waiting are finished without decoding; they count against nothing.
            if (row.Request.Cancellation.IsCancellationRequested)
            {
                taken++;
                Interlocked.Increment(ref rowsCancelled);
                row.Complete(new GenerationResult([], [], "", FinishReason.Cancelled, row.PromptTokens) { WeightVersion = weightVersion });
                continue;
            }
            // Arrival order is kept: the first row that does not fit waits, and so does every row behind it.
            if (batch.Running + joining.Count == Options.MaxBatchSize
                || batch.CapacityWith(joining.Select(j => j.Request).Append(row.Request)) > ContextLength) break;
            joining.Add((-1, row.Request));
            taken++;
        }
        int left = waiting.Count - taken;
        if (batch.Running > 0 && left > 0 && joining.Count < Math.Max(1, Options.MaxBatchSize / 4))
        {
            // Wait for more room; the cancelled rows finished above leave the queue all the same.
            waiting.RemoveAll(r => r.Result.IsCompleted);
            return [];
        }
        var admitted = new List<(int Id, GenerationRequest Request)>(joining.Count);
        foreach (var row in waiting.Take(taken).Where(r => !r.Result.IsCompleted))
        {
            int id = nextId++;
            running[id] = row;
            admitted.Add((id, row.Request));
        }
        waiting.RemoveRange(0, taken);
        return admitted;
    }

    private void Decode(List<(int Id, GenerationRequest Request)> admitted)
    {
        try
        {
            if (admitted.Count > 0)
            {
                Interlocked.Increment(ref batches);
                Interlocked.Add(ref rowsDecoded, admitted.Count);
                Options.BeforeBatch?.Invoke();
                int needed = batch.CapacityWith(admitted.Select(a => a.Request));
                // Static batches get exactly what they need; a continuous one some room, so later rows rarely re-lay the cache.
                batch.Admit(admitted, Options.Scheduler == EngineOptions.StaticScheduler ? needed : Math.Min(ContextLength, 2 * needed));
            }
            batch.Step();
        }
        catch (Exception error)
        {
            // The rows were validated on submission, so this is a real fault; their callers see it, the engine goes on.
            foreach (var row in running.Values) row.Fail(error);
            running.Clear();
            batch.Dispose();
        }
    }

    /// <summary>A row has finished (engine thread): its caller gets the result with the weights' name.</summary>
    private void Finished(int id, GenerationResult result)
    {
        if (result.FinishReason == FinishReason.Cancelled) Interlocked.Increment(ref rowsCancelled);
        running.Remove(id, out var stream);
        stream!.Complete(result with { WeightVersion = weightVersion });
    }

    private void ApplyUpdate(WeightUpdate pending)
    {
        try
        {
            pending.Apply(model);
            Volatile.Write(ref weightVersion, pending.Version);
            pending.Done.TrySetResult();
        }
        catch (Exception error)
        {
            pending.Done.TrySetException(error);
        }
    }

    private sealed record WeightUpdate(Action<CausalLM> Apply, string Version)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
