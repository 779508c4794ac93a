// Command pulumi-language-python is govcloud's Python language host for the
// Pulumi engine.
//
// Why our own: Pulumi's host lives in a Go module with no release tags, which
// the module proxy reachable here does not serve, so it cannot be built from
// sources. The part the engine needs is small: start the program with
// Pulumi's own `pulumi-language-python-exec` runner (shipped in the SDK module
// and installed beside this binary) and report how it ended. Dependency
// installation, templates and code generation are left unimplemented: govcloud
// owns its virtualenv (`scripts/bootstrap`), and the engine treats
// Unimplemented as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// exitUserActionableMessage is the exit code with which the runner says it has
// already shown the user an actionable error (no extra "program failed" noise).
const exitUserActionableMessage = 32

func main() {
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-python ENGINE_ADDRESS")
		os.Exit(2)
	}
	host := &pythonHost{engineAddress: flag.Arg(0), programs: map[int]struct{}{}}
	// The engine that started this host may die without a word (SIGKILL, a lost CI
	// runner): nothing would ever end this process or its program then. Its parent
	// is the engine; once that is gone, the program's process group goes, then we.
	watchParent(time.Second, func() {
		host.killPrograms()
		fmt.Fprintln(os.Stderr, "pulumi-language-python: the engine is gone; exiting")
		os.Exit(1)
	})
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

type pythonHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string

	mu       sync.Mutex
	programs map[int]struct{} // process groups of the programs running now
}

// killPrograms ends every running program with all it started.
func (h *pythonHost) killPrograms() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for pgid := range h.programs {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// watchParent calls gone once this process's parent has exited (it was re-parented),
// checking every interval: the one test that holds whichever way the parent died.
func watchParent(interval time.Duration, gone func()) {
	parent := os.Getppid()
	go func() {
		for range time.Tick(interval) {
			if os.Getppid() != parent {
				gone()
				return
			}
		}
	}()
}

func (h *pythonHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *pythonHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins and GetRequiredPackages answer "none known in advance":
// plugins are resolved when the program registers resources, and automatic
// plugin acquisition is off in govcloud, so nothing would be downloaded anyway.
func (h *pythonHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *pythonHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	msg := "govcloud manages the Python environment itself (scripts/bootstrap); nothing to install\n"
	return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(msg)})
}

func (h *pythonHost) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	python := pythonExecutable(req.GetInfo())
	out, err := exec.Command(python, "-c", "import platform; print(platform.python_version())").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", python, err)
	}
	return &pulumirpc.AboutResponse{Executable: python, Version: string(trimNewline(out))}, nil
}

func (h *pythonHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// Run executes the program through Pulumi's runner script and maps its exit.
func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	runner, err := runnerPath()
	if err != nil {
		return nil, err
	}
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, fmt.Errorf("encoding secret config keys: %w", err)
	}

	info := req.GetInfo()
	args := []string{"-u", runner,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engineAddress,
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--dry_run", strconv.FormatBool(req.GetDryRun()),
		"--parallel", strconv.Itoa(int(req.GetParallel())),
		"--organization", req.GetOrganization(),
		"--root_directory", info.GetRootDirectory(),
		entryPoint(info, req.GetProgram()),
	}
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, pythonExecutable(info), args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	// Its own process group, so that killPrograms takes down whatever it started too;
	// and SIGKILL should this host die first (Go never ends the thread that forked it).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = h.runProgram(cmd)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitUserActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
}

// runProgram runs cmd, known to killPrograms while it runs.
func (h *pythonHost) runProgram(cmd *exec.Cmd) error {
	h.mu.Lock()
	if err := cmd.Start(); err != nil {
		h.mu.Unlock()
		return err
	}
	pgid := cmd.Process.Pid
	h.programs[pgid] = struct{}{}
	h.mu.Unlock()
	err := cmd.Wait()
	h.mu.Lock()
	delete(h.programs, pgid)
	h.mu.Unlock()
	return err
}

// entryPoint is the path the runner executes: the program directory (its
// __main__.py) unless Pulumi.yaml's `main` names a file.
func entryPoint(info *pulumirpc.ProgramInfo, program string) string {
	if info == nil {
		return program
	}
	if ep := info.GetEntryPoint(); ep != "" && ep != "." {
		return filepath.Join(info.GetProgramDirectory(), ep)
	}
	return info.GetProgramDirectory()
}

// pythonExecutable honours the `virtualenv` runtime option of Pulumi.yaml
// (relative to the project root), then PULUMI_PYTHON_CMD, then python3.
func pythonExecutable(info *pulumirpc.ProgramInfo) string {
	if opts := info.GetOptions().GetFields(); opts != nil {
		if venv := opts["virtualenv"].GetStringValue(); venv != "" {
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.GetRootDirectory(), venv)
			}
			return filepath.Join(venv, "bin", "python")
		}
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		return cmd
	}
	return "python3"
}

// runnerPath finds pulumi-language-python-exec beside this executable, where
// the engine build script installs it.
func runnerPath() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locating the language host: %w", err)
	}
	runner := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(runner); err != nil {
		return "", fmt.Errorf("the Python runner is missing beside the language host "+
			"(rebuild with scripts/build-engine): %w", err)
	}
	return runner, nil
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
