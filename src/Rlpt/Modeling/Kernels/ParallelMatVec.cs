using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// Matrix-vector products split by rows across the cores: the calling thread takes one share and parked helper
/// threads the others, as llama.cpp's thread pool does. At batch 1 a product is bound by memory bandwidth, and one
/// core alone does not reach it (BENCHMARKS.md). Several products of one input (q, k and v; gate and up) go out as one
/// job, so a layer costs four hand-offs. Helpers spin for 2 ms between jobs (a decoding step issues them
/// microseconds apart), then sleep. The share count follows LibTorch's thread setting (<c>--threads</c>), so both agree.
/// </summary>
internal static unsafe class ParallelMatVec
{
    /// <summary>One product of a job: y = W·x (+ bias), W row-major [Rows, columns].</summary>
    public readonly record struct Product(nint Weights, nint Bias, nint Output, int Rows);

    /// <summary>How long a helper spins for the next job before it sleeps: the jobs of one decoding step come microseconds apart.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 500;
    private static readonly object dispatch = new();
    private static Helper[] helpers = [];
    private static Product[] job = [];
    private static float* input;
    private static int columns, totalRows, shares, generation, pending;

    /// <summary>Every product of <paramref name="products"/> over the same input of <paramref name="inputColumns"/> floats.</summary>
    public static void Run(float* x, int inputColumns, params ReadOnlySpan<Product> products)
    {
        int rows = 0;
        foreach (var p in products) rows += p.Rows;
        int threads = Math.Clamp(get_num_threads(), 1, Environment.ProcessorCount);
        // Below a few thousand multiply-adds per share the hand-off costs more than it saves.
        if (threads == 1 || (long)rows * inputColumns < 32_768)
        {
            Share(products, x, inputColumns, 0, rows);
            return;
        }
        lock (dispatch)
        {
            EnsureHelpers(threads - 1);
            job = products.Length <= job.Length ? job : new Product[products.Length];
            products.CopyTo(job);
            input = x;
            columns = inputColumns;
            totalRows = rows;
            shares = threads;
            Volatile.Write(ref pending, threads - 1);
            Interlocked.Increment(ref generation);
            for (int i = 0; i < threads - 1; i++) helpers[i].Wake();
            Share(job.AsSpan(0, products.Length), x, inputColumns, 0, rows / threads);
            var spin = new SpinWait();
            while (Volatile.Read(ref pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Global rows [from, to) of the concatenated products.</summary>
    private static void Share(ReadOnlySpan<Product> products, float* x, int n, int from, int to)
    {
        int offset = 0;
        foreach (var p in products)
        {
            int start = Math.Max(from - offset, 0), end = Math.Min(to - offset, p.Rows);
            if (start < end) VectorMath.MatVec((float*)p.Weights, x, (float*)p.Bias, (float*)p.Output, n, start, end);
            offset += p.Rows;
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (helpers.Length >= count) return;
        var grown = new Helper[count];
        helpers.CopyTo(grown, 0);
        for (int i = helpers.Length; i < count; i++) grown[i] = new Helper(i + 1);
        helpers = grown;
    }

    private sealed class Helper
    {
        private readonly SemaphoreSlim wake = new(0);
        private int sleeping;

        public Helper(int share)
        {
            // The generation it waits past is read here, before the job that created it is posted, not when the thread
            // first runs (by then that job may be out, and it would wait for the next one forever).
            int seen = Volatile.Read(ref generation);
            new Thread(() => Loop(share, seen)) { IsBackground = true, Name = "rlpt matvec" }.Start();
        }

        public void Wake()
        {
            if (Interlocked.Exchange(ref sleeping, 0) == 1) wake.Release();
        }

        private void Loop(int share, int seen)
        {
            while (true)
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref generation) == seen && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
                if (Volatile.Read(ref generation) == seen)
                {
                    // Announce the sleep, then look once more: a job posted in between either sees the flag (and
                    // releases the semaphore) or is seen here (and its release, if any, is consumed).
                    Interlocked.Exchange(ref sleeping, 1);
                    if (Volatile.Read(ref generation) == seen || Interlocked.Exchange(ref sleeping, 0) == 0) wake.Wait();
                    continue;
                }
                seen = Volatile.Read(ref generation);
                if (share < shares)
                {
                    int from = (int)((long)totalRows * share / shares), to = (int)((long)totalRows * (share + 1) / shares);
                    Share(job, input, columns, from, to);
                    Interlocked.Decrement(ref pending);
                }
            }
        }
    }
}
