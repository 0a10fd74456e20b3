using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>Resolves <c>--device</c> and <c>--threads</c> once per process.</summary>
public static class ComputeDevice
{
    /// <param name="name">cpu or cuda (cuda[:N]); cuda needs the TorchSharp-cuda backend (see README).</param>
    /// <param name="threads">Intra-op threads; 0 keeps LibTorch's default (all cores).</param>
    public static Device Configure(string name, int threads)
    {
        if (threads < 0) throw new ArgumentException($"--threads must be >= 0 (got {threads}).");
        if (threads > 0) set_num_threads(threads);
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException("--device cuda: no CUDA device is available to this build (it uses the CPU backend; build with -p:TorchBackend=TorchSharp-cuda-linux).");
            return new Device(name);
        }
        throw new ArgumentException($"--device must be cpu or cuda (got '{name}').");
    }
}
