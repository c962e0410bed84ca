"""What every pixlake benchmark prints beside its figures: CPU, ISA, threads, commit, load."""
import os
import platform
import subprocess

# Widest first: the first one present names the machine's best vector ISA.
ISA_FLAGS = ["avx512_vnni", "avx512bw", "avx512f", "avx2", "fma", "avx", "sse4_2", "neon", "asimd"]


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def isa_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    present = set(line.split(":", 1)[1].split())
                    return [flag for flag in ISA_FLAGS if flag in present]
    except OSError:
        pass
    return []


def git_commit(repo):
    try:
        run = lambda *args: subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                                           check=True).stdout.strip()
        commit = run("rev-parse", "--short=12", "HEAD")
        return commit + ("-dirty" if run("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine_info():
    return {"cpu": cpu_model(), "isa": isa_flags(), "logical_cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}
