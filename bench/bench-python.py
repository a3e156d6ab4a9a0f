# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""Python dom.state() per call: the virtplug binding on test:///default
beside libvirt-python on libvirt's test:///default, in the same run and
the same interpreter (issue 17: within 2x of libvirt-python). Run by
`make bench` through bench/bench-python (made by bench/python.mk)."""
import sys
import time

CALLS = 200_000
ROUNDS = 5


def per_call_ns(fn):
    """The best of ROUNDS rounds of CALLS calls, in ns per call."""
    best = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter_ns()
        for _ in range(CALLS):
            fn()
        ns = (time.perf_counter_ns() - t0) / CALLS
        best = ns if best is None or ns < best else best
    return best


def loop_floor_ns():
    """The cost of the loop itself, with a C method that does nothing useful."""
    return per_call_ns(int)


def row(figure, mine, anchor, target, ok):
    met = "n/a" if ok is None else ("yes" if ok else "NO")
    print(f"| {figure:<44} | {mine:<14} | {anchor:<18} | {target:<10} | {met:<4} |")


def main():
    try:
        import virtplug
    except ImportError as e:
        print(f"bench-python: skipped: the binding is not importable ({e}); "
              "configure --with-python=yes")
        return 0
    with virtplug.open("test:///default") as conn:
        state = conn.lookupByName("test").state
        mine = per_call_ns(state)
    anchor, note = None, ""
    try:
        import libvirt
        libvirt.registerErrorHandler(lambda *a: None, None)
        lconn = libvirt.open("test:///default")
        lstate = lconn.lookupByName("test").state
        anchor = per_call_ns(lstate)
        lconn.close()
        note = f"libvirt-python {libvirt.getVersion() // 1000000}.{libvirt.getVersion() // 1000 % 1000}"
    except ImportError:
        note = "libvirt-python is not installed (install python3-libvirt)"
    except Exception as e:  # noqa: BLE001 - the anchor is optional
        note = f"libvirt-python failed: {e}"
    print(f"| {'figure':<44} | {'virtplug':<14} | {'libvirt (same run)':<18} | {'target':<10} | met? |")
    print("|" + "-" * 46 + "|" + "-" * 16 + "|" + "-" * 20 + "|" + "-" * 12 + "|------|")
    row("Python dom.state() per call, test:///default", f"{mine:.1f} ns",
        f"{anchor:.1f} ns" if anchor else "n/a", "<= 2x lv",
        None if anchor is None else mine <= 2 * anchor)
    print(f"python {sys.version.split()[0]}, {CALLS} calls, best of {ROUNDS} rounds; "
          f"loop floor (int()) {loop_floor_ns():.1f} ns; {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
