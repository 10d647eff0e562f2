using System.Globalization;

namespace Dental.Bench;

/// <summary>
/// CPU time of another .NET process's tiered-compilation thread, read from /proc (Linux): the runtime names it
/// ".NET Tiered Compilation Worker" (the kernel keeps the first 15 characters). The runtime exposes no out-of-process
/// figure for this without an event pipe session, which would itself cost the measured process CPU.
/// </summary>
internal sealed class TieredJitActivity(int pid)
{
    private const string ThreadName = ".NET Tiered Com";
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    /// <summary>CPU time of the compilation thread(s) alive now; the thread exits when idle, so compare successive reads only while it lives.</summary>
    public TimeSpan Read()
    {
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ThreadName)
                {
                    continue;
                }

                // Fields after the ")" closing the name: state is field 3, utime 14, stime 15.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
