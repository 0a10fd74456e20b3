using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// Matrix-vector products split by rows across the cores: the calling thread and parked helper threads claim chunks of
/// rows from a shared counter until none are left, as llama.cpp's thread pool does. At batch 1 a product is bound by
/// memory bandwidth, which one core alone does not reach (BENCHMARKS.md). Chunks rather than fixed shares: a helper
/// that is late (its core busy with LibTorch's spinning OpenMP threads, an HTTP thread, a test beside it) leaves its
/// chunks to the caller instead of stalling the step. Several products of one input (q, k and v; gate and up) go out as
/// one job, so a layer costs four hand-offs. Helpers spin between the jobs of a step (microseconds apart) and sleep
/// once it is over (<see cref="Park"/>). The thread count follows LibTorch's setting (<c>--threads</c>).
/// </summary>
internal static unsafe class ParallelMatVec
{
    /// <summary>One product of a job: y = x·Wᵀ (+ bias), W row-major [Rows, columns], y [batch, Rows].</summary>
    public readonly record struct Product(nint Weights, nint Bias, nint Output, int Rows);

    /// <summary>Chunks per thread: enough that a late helper costs the caller little, few enough that claiming is cheap.</summary>
    private const int ChunksPerThread = 8;

    /// <summary>The longest a helper spins for the next job before it sleeps, if no <see cref="Park"/> comes first.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1000;
    private static readonly object dispatch = new();
    private static Helper[] helpers = [];
    private static Product[] job = [];
    private static float* input;
    private static volatile bool parked;
    private static int jobLength, columns, batchRows, totalRows, chunkCount, done, generation;
    /// <summary>The job's generation (high 32 bits) and its next unclaimed chunk (low 32 bits), claimed by compare-and-swap.</summary>
    private static long claim;

    /// <summary>Every product of <paramref name="products"/> over the same input [<paramref name="batch"/>, <paramref name="inputColumns"/>].</summary>
    public static void Run(float* x, int inputColumns, int batch, params ReadOnlySpan<Product> products)
    {
        int rows = 0;
        foreach (var p in products) rows += p.Rows;
        int threads = Math.Clamp(get_num_threads(), 1, Environment.ProcessorCount);
        // Below a few thousand multiply-adds per thread the hand-off costs more than it saves.
        if (threads == 1 || (long)rows * inputColumns * batch < 32_768)
        {
            Rows(products, x, inputColumns, batch, 0, rows);
            return;
        }
        lock (dispatch)
        {
            EnsureHelpers(threads - 1);
            job = products.Length <= job.Length ? job : new Product[products.Length];
            products.CopyTo(job);
            jobLength = products.Length;
            input = x;
            columns = inputColumns;
            batchRows = batch;
            totalRows = rows;
            chunkCount = Math.Min(rows, threads * ChunksPerThread);
            Volatile.Write(ref done, 0);
            parked = false;
            int current = ++generation;
            Interlocked.Exchange(ref claim, (long)current << 32); // publishes the job (a full fence)
            for (int i = 0; i < threads - 1; i++) helpers[i].Wake();
            Work(current);
            var spin = new SpinWait();
            while (Volatile.Read(ref done) < chunkCount) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>No job is coming soon (a decoding step has ended): the helpers stop spinning and sleep.</summary>
    public static void Park() => parked = true;

    private static int GenerationOf(long state) => (int)(state >> 32);

    /// <summary>Claims and runs chunks of job <paramref name="current"/> until none is left (or a newer job is out).</summary>
    private static void Work(int current)
    {
        while (true)
        {
            long state = Volatile.Read(ref claim);
            int next = (int)state;
            if (GenerationOf(state) != current || next >= chunkCount) return;
            if (Interlocked.CompareExchange(ref claim, state + 1, state) != state) continue;
            // A claimed chunk keeps its job from completing, so the job's fields stay as read here.
            Rows(job.AsSpan(0, jobLength), input, columns, batchRows, (int)((long)totalRows * next / chunkCount), (int)((long)totalRows * (next + 1) / chunkCount));
            Interlocked.Increment(ref done);
        }
    }

    /// <summary>Global rows [from, to) of the concatenated products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(ReadOnlySpan<Product> products, float* x, int n, int batch, int from, int to)
    {
        int offset = 0;
        foreach (var p in products)
        {
            int start = Math.Max(from - offset, 0), end = Math.Min(to - offset, p.Rows);
            if (start < end) VectorMath.MatVec((float*)p.Weights, x, batch, (float*)p.Bias, (float*)p.Output, n, p.Rows, start, end);
            offset += p.Rows;
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (helpers.Length >= count) return;
        var grown = new Helper[count];
        helpers.CopyTo(grown, 0);
        for (int i = helpers.Length; i < count; i++) grown[i] = new Helper();
        helpers = grown;
    }

    private sealed class Helper
    {
        private readonly SemaphoreSlim wake = new(0);
        private int sleeping;

        public Helper()
        {
            // The generation it waits past is read here, before the job that created it is posted, not when the thread
            // first runs (by then that job may be out, and it would wait for the next one forever).
            int seen = GenerationOf(Volatile.Read(ref claim));
            new Thread(() => Loop(seen)) { IsBackground = true, Name = "rlpt matvec" }.Start();
        }

        public void Wake()
        {
            if (Interlocked.Exchange(ref sleeping, 0) == 1) wake.Release();
        }

        private void Loop(int seen)
        {
            while (true)
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (GenerationOf(Volatile.Read(ref claim)) == seen && !parked && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
                if (GenerationOf(Volatile.Read(ref claim)) == seen)
                {
                    // Announce the sleep, then look once more: a job posted in between either sees the flag (and
                    // releases the semaphore) or is seen here (and its release, if any, is consumed).
                    Interlocked.Exchange(ref sleeping, 1);
                    if (GenerationOf(Volatile.Read(ref claim)) == seen || Interlocked.Exchange(ref sleeping, 0) == 0) wake.Wait();
                    continue;
                }
                seen = GenerationOf(Volatile.Read(ref claim));
                Work(seen);
            }
        }
    }
}
