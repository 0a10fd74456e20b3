using Rlpt.Decision.Offline.Data;
using static Rlpt.Tests.Decision.Offline.Data.EpisodeDatasetSamples;

namespace Rlpt.Tests.Decision.Offline.Data;

public sealed class EpisodeDatasetFilesTests
{
    [Theory]
    [InlineData("d.parquet", "PAR1")]
    [InlineData("d.hdf5", "\x89HDF")]
    [InlineData("d.H5", "\x89HDF")]
    public void TheExtensionChoosesTheFormat(string name, string magic)
    {
        using var dir = new TestDirectory();
        var path = dir.File(name);
        var dataset = Make(rows: 12);
        EpisodeDatasetFiles.Save(dataset, path);
        Assert.Equal(magic, new string(File.ReadAllBytes(path)[..4].Select(b => (char)b).ToArray()));
        AssertBitwiseEqual(dataset, EpisodeDatasetFiles.Load(path));
    }

    [Fact]
    public void UnknownExtensionsAndMissingFilesAreRefusedClearly()
    {
        using var dir = new TestDirectory();
        var csv = dir.File("d.csv");
        var error = Assert.Throws<ArgumentException>(() => EpisodeDatasetFiles.Save(Make(rows: 2), csv));
        Assert.Contains("'.csv'; supported: .parquet, .hdf5, .h5", error.Message);
        Assert.False(File.Exists(csv));
        Assert.Throws<ArgumentException>(() => EpisodeDatasetFiles.Load(csv));

        foreach (var name in new[] { "missing.parquet", "missing.hdf5" })
        {
            var missing = Assert.Throws<FileNotFoundException>(() => EpisodeDatasetFiles.Load(dir.File(name)));
            Assert.Equal($"no episode dataset at {dir.File(name)}.", missing.Message);
        }
    }
}
