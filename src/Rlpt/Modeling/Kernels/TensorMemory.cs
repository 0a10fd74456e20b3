using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// The fp32 memory of LibTorch CPU tensors, for the hand-written kernels. TorchSharp exposes no data pointer, so it is
/// read through LibTorchSharp's own export (<c>THSTensor_data</c>, what TorchSharp's TensorAccessor uses), which
/// includes the storage offset of a view.
/// </summary>
internal static unsafe partial class TensorMemory
{
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr tensor);

    /// <summary>The first element of a contiguous CPU tensor (or view); valid while the tensor lives.</summary>
    public static void* Data(Tensor tensor)
    {
        var data = THSTensor_data(tensor.Handle);
        if (data == IntPtr.Zero) throw new InvalidOperationException("LibTorch returned no data pointer for a tensor.");
        return (void*)data;
    }

    /// <summary>The first element of a contiguous fp32 CPU tensor (or view).</summary>
    public static float* Floats(Tensor tensor) => (float*)Data(tensor);

    /// <summary>Whether <paramref name="tensor"/> is laid out as the kernels read it: fp32, on the CPU, contiguous.</summary>
    public static bool IsDenseFloat(Tensor? tensor) =>
        tensor is not null && tensor.dtype == ScalarType.Float32 && tensor.device_type == DeviceType.CPU && tensor.is_contiguous();
}
