// gnuplot subprocess: script file on stdin, SVG on stdout, messages on stderr, all through files in a private
// temporary folder, so no pipe can fill up and deadlock. A timeout guards against a hung process.
#include "osgan/core/remove_tree.h"
#include "osgan/report/gnuplot.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"

extern char** environ;

namespace fs = std::filesystem;

namespace osgan::report {
namespace {

// A temporary folder removed on scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("osgan-gnuplot-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    remove_tree(path_);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string first_error_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t^") == std::string::npos) continue;
    last = line;
    if (line.find("rror") != std::string::npos) return line;
  }
  return last;
}

// Spawns gnuplot with stdin/stdout/stderr redirected to files; returns the exit status (or throws).
int spawn_and_wait(const fs::path& in, const fs::path& out, const fs::path& err, double timeout_seconds) {
  const std::string program = gnuplot_program();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv = {const_cast<char*>(program.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    fail(ErrorCode::unsupported, "cannot start \"" + program + "\" to draw the report's plots (" +
                                     std::strerror(rc) + "). Hint: install gnuplot-nox (scripts/install-deps)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) fail(ErrorCode::io, "waiting for gnuplot failed: " + std::string(std::strerror(errno)));
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      fail(ErrorCode::interrupted, "gnuplot did not finish a plot within " + std::to_string(timeout_seconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

std::string gnuplot_program() {
  const char* env = std::getenv("OSGAN_GNUPLOT");
  return env && *env ? std::string(env) : std::string("gnuplot");
}

bool gnuplot_available() {
  try {
    const std::string svg = run_gnuplot_svg("set terminal svg size 10,10\nset output\nplot 1 notitle\n", 20.0);
    return svg.find("<svg") != std::string::npos;
  } catch (const Error&) {
    return false;
  }
}

std::string run_gnuplot_svg(const std::string& script, double timeout_seconds) {
  TempDir dir;
  const fs::path in = dir.path() / "plot.gp", out = dir.path() / "plot.svg", err = dir.path() / "stderr.txt";
  {
    std::ofstream f(in, std::ios::binary);
    f << script;
    if (!f) fail(ErrorCode::io, "cannot write the gnuplot script to " + in.string());
  }
  const int status = spawn_and_wait(in, out, err, timeout_seconds);
  const std::string messages = fs::exists(err) ? read_text_file(err) : std::string();
  const std::string svg = fs::exists(out) ? read_text_file(out) : std::string();
  if (status != 0)
    fail(ErrorCode::bad_format, "gnuplot failed (exit " + std::to_string(status) + "): " + first_error_line(messages));
  if (svg.find("</svg>") == std::string::npos)
    fail(ErrorCode::bad_format, "gnuplot printed no complete SVG" +
                                    (messages.empty() ? std::string() : ": " + first_error_line(messages)));
  return svg;
}

std::string gnuplot_datablock(const std::string& name, const std::vector<std::vector<double>>& columns) {
  std::string out = "$" + name + " << EOD\n";
  const size_t n = columns.empty() ? 0 : columns.front().size();
  char cell[64];
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const double v = r < columns[c].size() ? columns[c][r] : std::nan("");
      if (std::isfinite(v)) std::snprintf(cell, sizeof cell, "%.9g", v);
      else std::snprintf(cell, sizeof cell, "NaN");
      if (c) out += ' ';
      out += cell;
    }
    out += '\n';
  }
  out += "EOD\n";
  return out;
}

std::string gnuplot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    // Enhanced-text markup characters, printed literally.
    if (c == '_' || c == '^' || c == '@' || c == '&' || c == '{' || c == '}' || c == '~') out += "\\\\";
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace osgan::report
