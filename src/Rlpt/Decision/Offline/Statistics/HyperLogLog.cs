using System.IO.Hashing;

namespace Rlpt.Decision.Offline.Statistics;

/// <summary>
/// HyperLogLog distinct counting (Flajolet et al. 2007) over 64-bit XxHash values, as Schweighofer et al. count unique
/// state-action pairs; 2^14 registers give about 0.8 % standard error in 16 KiB whatever the dataset's size. No
/// maintained .NET package offers it on the package feed, so it is written here (about 30 lines).
/// </summary>
public sealed class HyperLogLog
{
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] registers = new byte[RegisterCount];

    public void Add(ReadOnlySpan<byte> item)
    {
        ulong hash = XxHash64.HashToUInt64(item);
        int index = (int)(hash >> (64 - Precision));
        ulong rest = hash << Precision;
        // The rank is the position of the first 1 bit in the remaining 50 bits (capped when they are all 0).
        byte rank = (byte)(rest == 0 ? 64 - Precision + 1 : System.Numerics.BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > registers[index]) registers[index] = rank;
    }

    public double Estimate()
    {
        double alpha = 0.7213 / (1 + 1.079 / RegisterCount);
        double sum = 0;
        int zeros = 0;
        foreach (var r in registers)
        {
            sum += Math.Pow(2, -r);
            if (r == 0) zeros++;
        }
        double raw = alpha * RegisterCount * RegisterCount / sum;
        // Small cardinalities: linear counting over the empty registers is the more accurate estimate.
        return raw <= 2.5 * RegisterCount && zeros > 0 ? RegisterCount * Math.Log((double)RegisterCount / zeros) : raw;
    }
}
