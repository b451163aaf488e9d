//! Creating a plugin process without copying the daemon, and waiting for its end.
//!
//! `std`/tokio's `Command` forks as soon as a `pre_exec` hook is set, and bkgd needs one
//! (`PR_SET_PDEATHSIG`, see `spawn.rs`). A fork copies the daemon's page tables and shoots down
//! TLB entries on the other cores: measured at 0.49-0.56 ms per plugin start here, a sixth of
//! start -> running. Without a hook, std uses `posix_spawn`, which shares the parent's memory
//! until `exec` (`clone(CLONE_VM | CLONE_VFORK)`) but cannot set PDEATHSIG. So this module does
//! what glibc's `posix_spawn` does, plus that one step:
//!
//! - Everything the child needs (paths, argv, envp, descriptors) is prepared in the parent; the
//!   child runs on a stack of its own ([`Stack`]), makes raw syscalls only (no allocation, no
//!   lock: it shares the parent's memory) and ends in `execve` or `_exit`.
//! - The calling thread blocks every signal around the `clone`: a signal handler running in the
//!   child would run on the parent's memory. The child resets handled signals to their default
//!   (and `SIGPIPE`, which Rust ignores, as std does) before it unblocks them.
//! - `CLONE_VFORK` suspends the calling thread until the child has exec'd or exited, so the
//!   child reports a failed step (chdir, exec, ...) through shared memory, and the parent reaps
//!   it and returns the error, as std does.
//!
//! The exit is awaited through a pidfd (readable once the process has ended), or, on kernels
//! without `pidfd_open`, by trying `waitpid` on every `SIGCHLD`. Nothing else in bkgd reaps a
//! plugin's leader (`Spawner::reap_adopted` skips leaders), so its pid cannot be reused before
//! [`Process::wait`] has reaped it.

use std::ffi::{CString, OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::unix::AsyncFd;
use tokio::net::unix::pipe;

use super::spawn::ProcessSpec;

/// A plugin process as created: its pid and the daemon's ends of its three pipes.
#[derive(Debug)]
pub struct Created {
    pub pid: u32,
    stdin: OwnedFd,
    stdout: OwnedFd,
    stderr: OwnedFd,
}

/// A running plugin process: the daemon's ends of its pipes and its exit.
#[derive(Debug)]
pub struct Process {
    pid: u32,
    pub stdin: Option<pipe::Sender>,
    pub stdout: Option<pipe::Receiver>,
    /// Left as a descriptor: the log reader registers it itself.
    pub stderr: Option<OwnedFd>,
    exit: Option<AsyncFd<OwnedFd>>,
    status: Option<ExitStatus>,
}

impl Process {
    /// Registers a created process's pipes and exit with the runtime (must run inside it).
    pub fn new(created: Created) -> io::Result<Self> {
        let Created { pid, stdin, stdout, stderr } = created;
        Ok(Self {
            pid,
            stdin: Some(pipe::Sender::from_owned_fd(stdin)?),
            stdout: Some(pipe::Receiver::from_owned_fd(stdout)?),
            stderr: Some(stderr),
            exit: pidfd_open(pid).and_then(register).ok(),
            status: None,
        })
    }

    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Waits for the process to end and reaps it.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = match &self.exit {
            Some(pidfd) => loop {
                let mut ready = pidfd.readable().await?;
                match try_reap(self.pid)? {
                    Some(status) => break status,
                    None => ready.clear_ready(),
                }
            },
            None => {
                // Listening before the first try: a SIGCHLD between the two is not lost.
                let mut sigchld = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::child())?;
                loop {
                    if let Some(status) = try_reap(self.pid)? {
                        break status;
                    }
                    if sigchld.recv().await.is_none() {
                        return Err(io::Error::other("SIGCHLD is no longer delivered"));
                    }
                }
            }
        };
        self.status = Some(status);
        Ok(status)
    }
}

#[allow(unsafe_code)]
fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this descriptor, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

#[allow(unsafe_code)]
fn register(pidfd: OwnedFd) -> io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: an `OwnedFd` is open and stays the same descriptor until the `AsyncFd` drops it.
    Ok(unsafe { AsyncFd::register(pidfd) }?)
}

/// `waitpid(pid, WNOHANG)`: the status once the process has ended.
#[allow(unsafe_code)]
fn try_reap(pid: u32) -> io::Result<Option<ExitStatus>> {
    let mut status = 0;
    loop {
        // SAFETY: waitpid writes the status into a local.
        match unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) } {
            0 => return Ok(None),
            -1 => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            _ => return Ok(Some(ExitStatus::from_raw(status))),
        }
    }
}

/// The child's stack: mapped once per spawner thread, with a guard page below it.
pub struct Stack {
    base: *mut libc::c_void,
    len: usize,
}

// The stack is only ever used by the thread that owns it, and by children it suspends itself for.
#[allow(unsafe_code)]
unsafe impl Send for Stack {}

const STACK_BYTES: usize = 64 * 1024;
const GUARD_BYTES: usize = 4096;

#[allow(unsafe_code)]
impl Stack {
    pub fn new() -> io::Result<Self> {
        let len = STACK_BYTES + GUARD_BYTES;
        // SAFETY: an anonymous private mapping; checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let stack = Self { base, len };
        // SAFETY: the lowest page of the mapping made above; an overflow faults instead of
        // writing into whatever is mapped below.
        if unsafe { libc::mprotect(base, GUARD_BYTES, libc::PROT_NONE) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(stack)
    }

    fn top(&mut self) -> *mut libc::c_void {
        // The mapping is page-aligned and so is its length: the end is 16-byte aligned.
        self.base.wrapping_byte_add(self.len)
    }
}

#[allow(unsafe_code)]
impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer used (no child runs on it: `clone`
        // returns only after the child has exec'd or exited).
        unsafe { libc::munmap(self.base, self.len) };
    }
}

/// The steps the child can fail at, reported with the errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
enum Step {
    Group = 1,
    DeathSignal,
    ParentGone,
    Stdio,
    Cwd,
    Signals,
    Exec,
}

impl Step {
    fn from_u32(n: u32) -> Option<Self> {
        [Self::Group, Self::DeathSignal, Self::ParentGone, Self::Stdio, Self::Cwd, Self::Signals, Self::Exec]
            .into_iter()
            .find(|s| *s as u32 == n)
    }
}

/// What the child reads (prepared by the parent, which is suspended while the child runs) and
/// where it reports a failure.
struct ChildArgs {
    /// Where to exec, in order (one path, or one per `PATH` entry for a bare name).
    programs: Vec<CString>,
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
    cwd: CString,
    /// The child's stdin, stdout and stderr; none of them below 3.
    stdio: [RawFd; 3],
    parent: libc::pid_t,
    /// `step << 32 | errno`, 0 while nothing failed.
    failure: AtomicU64,
}

/// Runs in the child: shares the parent's memory (whose calling thread is suspended), so it
/// makes raw syscalls only and never returns into Rust code that could allocate or unwind.
#[allow(unsafe_code)]
extern "C" fn child_main(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the `ChildArgs` on the suspended parent's stack, alive until the child
    // has exec'd or exited.
    let a = unsafe { &*(arg as *const ChildArgs) };
    let fail = |step: Step| -> libc::c_int {
        let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0) as u32;
        a.failure.store(((step as u64) << 32) | u64::from(errno.max(1)), Ordering::Relaxed);
        // SAFETY: ends the child without running anything of the parent's (no atexit, no flush).
        unsafe { libc::_exit(127) }
    };
    // SAFETY (the block): each call is a plain syscall on the child's own state, with pointers
    // into `ChildArgs` that stay valid (see above).
    unsafe {
        // A process group of its own, so the whole plugin can be signalled at once.
        if libc::setpgid(0, 0) != 0 {
            return fail(Step::Group);
        }
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
            return fail(Step::DeathSignal);
        }
        // The daemon may have died before PDEATHSIG was set: then nothing would kill the plugin.
        if libc::getppid() != a.parent {
            *libc::__errno_location() = libc::ESRCH;
            return fail(Step::ParentGone);
        }
        for (target, &fd) in a.stdio.iter().enumerate() {
            // dup2 leaves the copy without FD_CLOEXEC; the originals (>= 3) close at exec.
            if libc::dup2(fd, target as libc::c_int) < 0 {
                return fail(Step::Stdio);
            }
        }
        if libc::chdir(a.cwd.as_ptr()) != 0 {
            return fail(Step::Cwd);
        }
        // Handlers are the daemon's code: back to the default before anything is unblocked.
        // SIGPIPE too, which Rust ignores and std's Command restores for its children.
        for sig in 1..65 {
            if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                continue;
            }
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 {
                continue; // the C library's own signals cannot be queried or changed
            }
            if old.sa_sigaction != libc::SIG_DFL
                && (old.sa_sigaction != libc::SIG_IGN || sig == libc::SIGPIPE)
            {
                let mut dfl: libc::sigaction = std::mem::zeroed();
                dfl.sa_sigaction = libc::SIG_DFL;
                if libc::sigaction(sig, &dfl, std::ptr::null_mut()) != 0 {
                    return fail(Step::Signals);
                }
            }
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        if libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut()) != 0 {
            return fail(Step::Signals);
        }
        // As execvp: the first candidate that exists; a denied one is reported if none does.
        let mut denied = false;
        for program in &a.programs {
            libc::execve(program.as_ptr(), a.argv.as_ptr(), a.envp.as_ptr());
            match *libc::__errno_location() {
                libc::EACCES => denied = true,
                libc::ENOENT | libc::ENOTDIR | libc::ESTALE => {}
                _ => return fail(Step::Exec),
            }
        }
        if denied {
            *libc::__errno_location() = libc::EACCES;
        }
        fail(Step::Exec)
    }
}

fn c_string(bytes: impl Into<Vec<u8>>, what: &str) -> io::Result<CString> {
    CString::new(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, format!("{what} contains a NUL byte")))
}

/// The paths to try: the program itself when it names a path, else each `PATH` entry's.
fn candidates(program: &OsStr, path: Option<&OsStr>) -> io::Result<Vec<CString>> {
    if program.as_bytes().contains(&b'/') {
        return Ok(vec![c_string(program.as_bytes(), "the program")?]);
    }
    let path = path.map(OsStr::as_bytes).unwrap_or(b"/usr/local/bin:/usr/bin:/bin");
    let mut out = Vec::new();
    for dir in path.split(|&b| b == b':') {
        // An empty entry means the working directory, as in execvp.
        let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
        let mut full = dir.to_vec();
        full.push(b'/');
        full.extend_from_slice(program.as_bytes());
        out.push(c_string(full, "a PATH entry")?);
    }
    Ok(out)
}

/// A pipe whose ends are close-on-exec and not among the descriptors 0-2, which the child's
/// `dup2`s overwrite (a daemon started with a closed stdin gets them from `pipe2`).
#[allow(unsafe_code)]
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both were just created and are owned here only.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_stdio(r)?, above_stdio(w)?))
}

#[allow(unsafe_code)]
fn above_stdio(fd: OwnedFd) -> io::Result<OwnedFd> {
    if fd.as_raw_fd() > 2 {
        return Ok(fd);
    }
    // SAFETY: duplicates a descriptor owned here; the original closes when `fd` drops.
    let dup = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 3) };
    if dup < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(dup) })
}

/// Starts `spec` in a new process group with `PR_SET_PDEATHSIG` set to SIGKILL and its stdio
/// piped. Call it from the long-lived spawner thread (PDEATHSIG follows the creating thread).
#[allow(unsafe_code)]
pub fn create(spec: &ProcessSpec, stack: &mut Stack) -> io::Result<Created> {
    // The environment as std builds it: the daemon's, with the spec's on top.
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for (k, v) in &spec.env {
        env.retain(|(key, _)| key.as_os_str() != OsStr::new(k));
        env.push((k.into(), v.into()));
    }
    let path = env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_os_str());
    let programs = candidates(spec.program.as_os_str(), path)?;
    let argv_owned: Vec<CString> = std::iter::once(spec.program.as_os_str().as_bytes().to_vec())
        .chain(spec.args.iter().map(|a| a.as_bytes().to_vec()))
        .map(|a| c_string(a, "an argument"))
        .collect::<io::Result<_>>()?;
    let envp_owned: Vec<CString> = env
        .into_iter()
        .map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend(v.into_vec());
            c_string(kv, "an environment variable")
        })
        .collect::<io::Result<_>>()?;
    let null = std::iter::once(std::ptr::null());
    let argv = argv_owned.iter().map(|a| a.as_ptr()).chain(null.clone()).collect();
    let envp = envp_owned.iter().map(|e| e.as_ptr()).chain(null).collect();
    let cwd = c_string(spec.cwd.as_os_str().as_bytes(), "the working directory")?;

    let (stdin_child, stdin) = pipe()?;
    let (stdout, stdout_child) = pipe()?;
    let (stderr, stderr_child) = pipe()?;
    let args = ChildArgs {
        programs,
        argv,
        envp,
        cwd,
        stdio: [stdin_child.as_raw_fd(), stdout_child.as_raw_fd(), stderr_child.as_raw_fd()],
        // SAFETY: getpid cannot fail.
        parent: unsafe { libc::getpid() },
        failure: AtomicU64::new(0),
    };

    // SAFETY (the block): the signal mask calls change this thread only and are restored on
    // every path; clone runs `child_main` on `stack` with `args`, both of which outlive the
    // child's use of them because CLONE_VFORK suspends this thread until it exec'd or exited.
    let pid = unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            child_main,
            stack.top(),
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            &args as *const ChildArgs as *mut libc::c_void,
        );
        let clone_error = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 {
            return Err(clone_error);
        }
        pid
    };
    drop((stdin_child, stdout_child, stderr_child));

    let failure = args.failure.load(Ordering::Relaxed);
    if failure != 0 {
        // The child has exited: reap it, then say what failed.
        let mut status = 0;
        // SAFETY: waits for the child just created, which has exited already.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        let error = io::Error::from_raw_os_error((failure & 0xffff_ffff) as i32);
        return Err(match Step::from_u32((failure >> 32) as u32) {
            Some(Step::Exec) => error,
            Some(Step::Cwd) => {
                io::Error::new(error.kind(), format!("cannot enter {}: {error}", spec.cwd.display()))
            }
            Some(Step::ParentGone) => io::Error::other("bkgd exited while starting the plugin"),
            Some(Step::Group) => {
                io::Error::new(error.kind(), format!("cannot create its process group: {error}"))
            }
            Some(Step::DeathSignal) => io::Error::new(
                error.kind(),
                format!("cannot tie it to the daemon's life (PR_SET_PDEATHSIG): {error}"),
            ),
            Some(Step::Stdio) => io::Error::new(error.kind(), format!("cannot connect its stdio: {error}")),
            Some(Step::Signals) => io::Error::new(error.kind(), format!("cannot reset its signals: {error}")),
            None => error,
        });
    }
    Ok(Created { pid: pid as u32, stdin, stdout, stderr })
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    fn spec(program: &str, args: &[&str]) -> ProcessSpec {
        ProcessSpec {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: vec![("BKG_PROCESS_TEST".into(), "from the spec".into())],
            cwd: "/".into(),
        }
    }

    async fn run(spec: &ProcessSpec, input: &[u8]) -> (ExitStatus, String, u32) {
        let mut p = Process::new(create(spec, &mut Stack::new().unwrap()).unwrap()).unwrap();
        let mut stdin = p.stdin.take().unwrap();
        stdin.write_all(input).await.unwrap();
        drop(stdin);
        let mut out = String::new();
        p.stdout.take().unwrap().read_to_string(&mut out).await.unwrap();
        (p.wait().await.unwrap(), out, p.id())
    }

    #[tokio::test]
    async fn a_process_gets_its_stdio_env_cwd_and_exit_code() {
        let script =
            r#"read -r line; echo "got $line in $(pwd) with $BKG_PROCESS_TEST"; echo err >&2; exit 3"#;
        let (status, out, _) = run(&spec("sh", &["-c", script]), b"hello\n").await;
        assert_eq!(status.code(), Some(3));
        assert_eq!(out, "got hello in / with from the spec\n");
    }

    #[tokio::test]
    async fn a_process_has_its_own_group_no_blocked_signals_and_sigpipe_at_default() {
        // The test harness, like every Rust program, ignores SIGPIPE, and blocks nothing.
        let (status, out, pid) =
            run(&spec("/bin/sh", &["-c", "exec cat /proc/self/stat /proc/self/status"]), b"").await;
        assert!(status.success());
        // `pid (cat) state ppid pgrp ...`
        let pgrp: u32 = out.split_whitespace().nth(4).unwrap().parse().unwrap();
        assert_eq!(pgrp, pid, "{out}");
        let field = |name: &str| {
            let line = out.lines().find(|l| l.starts_with(name)).unwrap();
            u64::from_str_radix(line.split_whitespace().nth(1).unwrap(), 16).unwrap()
        };
        assert_eq!(field("SigBlk:"), 0, "{out}");
        assert_eq!(field("SigIgn:") & (1 << (libc::SIGPIPE - 1)), 0, "SIGPIPE is ignored: {out}");
    }

    #[tokio::test]
    async fn a_missing_program_or_folder_is_an_error_and_leaves_no_zombie() {
        let mut stack = Stack::new().unwrap();
        let e = create(&spec("bkg-no-such-program", &[]), &mut stack).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}");
        let e = create(&spec("/nonexistent/program", &[]), &mut stack).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}");
        let mut in_missing_dir = spec("sh", &["-c", "true"]);
        in_missing_dir.cwd = "/nonexistent-bkg-dir".into();
        let e = create(&in_missing_dir, &mut stack).unwrap_err();
        assert!(e.to_string().starts_with("cannot enter /nonexistent-bkg-dir: "), "{e}");
        let not_executable = tempfile::NamedTempFile::new().unwrap();
        let e = create(&spec(not_executable.path().to_str().unwrap(), &[]), &mut stack).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
        // Each failed child was reaped: this thread (which created them) has no child left,
        // not even a zombie. Other tests' children belong to their own threads.
        // SAFETY: gettid cannot fail.
        #[allow(unsafe_code)]
        let tid = unsafe { libc::gettid() };
        let children = std::fs::read_to_string(format!("/proc/self/task/{tid}/children")).unwrap();
        assert_eq!(children.trim(), "", "children left");
    }

    #[test]
    fn a_process_is_killed_when_the_thread_that_created_it_ends() {
        // PR_SET_PDEATHSIG follows the creating thread: here it ends at once, so `sleep` gets
        // SIGKILL (without it, the wait below would end after 30 s with exit code 0).
        let created =
            std::thread::spawn(|| create(&spec("sleep", &["30"]), &mut Stack::new().unwrap()).unwrap())
                .join()
                .unwrap();
        let mut status = 0;
        // SAFETY: waits for this test's own child.
        #[allow(unsafe_code)]
        let reaped = unsafe { libc::waitpid(created.pid as libc::pid_t, &mut status, 0) };
        assert_eq!(reaped, created.pid as libc::pid_t);
        assert_eq!(ExitStatus::from_raw(status).signal(), Some(libc::SIGKILL));
    }

    #[tokio::test]
    async fn without_a_pidfd_the_exit_is_awaited_through_sigchld() {
        let mut p = Process::new(create(&spec("sh", &["-c", "exit 7"]), &mut Stack::new().unwrap()).unwrap())
            .unwrap();
        // As on a kernel without pidfd_open (before 5.3) or where seccomp refuses it.
        p.exit = None;
        assert_eq!(p.wait().await.unwrap().code(), Some(7));
        assert_eq!(p.wait().await.unwrap().code(), Some(7), "a second wait answers the same");
    }

    #[test]
    fn a_bare_name_is_looked_up_on_path_in_order() {
        let c = candidates(OsStr::new("python3"), Some(OsStr::new("/a::/b"))).unwrap();
        let c: Vec<_> = c.iter().map(|c| c.to_str().unwrap()).collect();
        assert_eq!(c, ["/a/python3", "./python3", "/b/python3"]);
        let c = candidates(OsStr::new("./run.sh"), Some(OsStr::new("/a"))).unwrap();
        assert_eq!(c[0].to_str().unwrap(), "./run.sh");
    }
}
