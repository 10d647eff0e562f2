using System.Globalization;

namespace Dental.Testing;

/// <summary>A process, the processes under it and their memory, read from /proc.</summary>
public static class ProcessTree
{
    /// <summary>The process and every process it started, directly or not, that still runs.</summary>
    public static HashSet<int> Of(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToList();
        var tree = new HashSet<int> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                grew |= tree.Contains(parent) && tree.Add(pid);
            }
        }
        while (grew);
        return tree;
    }

    /// <summary>
    /// The process that runs a resource's own code: Aspire starts a project under `dotnet run`, whose child is the service
    /// (the wrapper's memory and CPU say nothing about it); any other resource is its own process.
    /// </summary>
    public static int MainOf(int pid)
    {
        var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        return args.Length > 1 && Path.GetFileName(args[0]) == "dotnet" && args[1] == "run"
            ? Of(pid).Where(child => ParentOf(child) == pid).Single()
            : pid;
    }

    /// <summary>The process's peak resident memory so far (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// CPU time of the process's threads named <paramref name="threadName"/> (as the kernel keeps it: its first 15 characters)
    /// that are alive now; a thread that exited takes its time with it.
    /// </summary>
    public static TimeSpan ThreadsCpuTime(int pid, string threadName)
    {
        const double ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == threadName)
                {
                    var fields = StatFieldsAfterName(Path.Combine(task, "stat"));
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
                }
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }

        return TimeSpan.FromSeconds(ticks / ticksPerSecond);
    }

    private static int ParentOf(int pid)
    {
        try
        {
            return int.Parse(StatFieldsAfterName($"/proc/{pid}/stat")[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A /proc stat file's fields from "state" on: "pid (comm) state ppid ...", where comm may hold spaces, so read after its closing parenthesis.</summary>
    private static string[] StatFieldsAfterName(string path)
    {
        var stat = File.ReadAllText(path);
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
