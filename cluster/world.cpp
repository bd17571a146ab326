// World resolution: from MPI when an MPI launcher started us, else from an srun job step, else a single process.
#include "cluster/world.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "cluster/errors.h"
#include "cluster/log.h"
#include "cluster/mpi_check.h"

extern char** environ;

namespace musictag::cluster {
namespace {

std::atomic<const World*> g_resolved{nullptr};

const std::string* find(const Environment& env, const char* name) {
  const auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

// Strict: the whole text is a decimal integer that fits in an int.
int parse_int(const std::string& text, const std::string& what) {
  errno = 0;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || value < INT_MIN || value > INT_MAX) {
    throw CommError(fmt::format("{}='{}' is not an integer", what, text));
  }
  return static_cast<int>(value);
}

int require_int(const Environment& env, const char* name) {
  const std::string* value = find(env, name);
  if (!value) throw CommError(fmt::format("srun job step without {} in the environment", name));
  return parse_int(*value, name);
}

// This node's task count from Slurm's per-node lists, e.g. SLURM_STEP_TASKS_PER_NODE="2(x3),1".
int slurm_local_size(const Environment& env, int node_index) {
  for (const char* name : {"SLURM_STEP_TASKS_PER_NODE", "SLURM_TASKS_PER_NODE"}) {
    if (const std::string* value = find(env, name)) {
      const std::vector<int> counts = expand_slurm_tasks_per_node(*value);
      if (node_index >= static_cast<int>(counts.size())) {
        throw CommError(fmt::format("inconsistent Slurm environment: SLURM_NODEID={} but {}='{}' lists {} nodes",
                                    node_index, name, *value, counts.size()));
      }
      return counts[node_index];
    }
  }
  if (find(env, "SLURM_NTASKS_PER_NODE")) return require_int(env, "SLURM_NTASKS_PER_NODE");
  throw CommError("srun job step without SLURM_STEP_TASKS_PER_NODE, SLURM_TASKS_PER_NODE or SLURM_NTASKS_PER_NODE");
}

void require_below(int value, const char* value_name, int bound, const char* bound_name) {
  if (value < 0 || value >= bound) {
    throw CommError(fmt::format("inconsistent Slurm environment: {}={} must be in [0, {}={})", value_name, value,
                                bound_name, bound));
  }
}

// Runs MPI_Finalize at exit, after main has returned and the communicators it owned are gone.
struct MpiFinalizer {
  ~MpiFinalizer() {
    if (mpi_running()) MPI_Finalize();
  }
};

void init_mpi() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;  // whoever initialised MPI (e.g. a test harness) also finalises it
  // Open MPI's default MPI_Iallreduce (libnbc's automatic choice) made a bucketed gradient all-reduce 1.85x as slow
  // as one blocking MPI_Allreduce; algorithm 1 (ring) gives 1.04x (bench/bench_allreduce). Read at MPI_Init; a
  // value the user set wins; other MPIs ignore it.
  setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1", /*overwrite=*/0);
  int provided = 0;
  MPI_CHECK(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided));
  static MpiFinalizer finalizer;
  if (provided < MPI_THREAD_SERIALIZED) {
    log::warn("MPI provides thread level {} below MPI_THREAD_SERIALIZED: call collectives from the main thread only",
              provided);
  }
}

World world_from_mpi(const std::string& hostname) {
  init_mpi();
  World world;
  world.mpi = true;
  world.hostname = hostname;
  OwnedMpiComm all = OwnedMpiComm::duplicate(MPI_COMM_WORLD);
  MPI_CHECK(MPI_Comm_rank(all.get(), &world.rank));
  MPI_CHECK(MPI_Comm_size(all.get(), &world.size));

  MPI_Comm node_comm = MPI_COMM_NULL;
  MPI_CHECK(MPI_Comm_split_type(all.get(), MPI_COMM_TYPE_SHARED, world.rank, MPI_INFO_NULL, &node_comm));
  const OwnedMpiComm node(node_comm);
  MPI_CHECK(MPI_Comm_rank(node.get(), &world.local_rank));
  MPI_CHECK(MPI_Comm_size(node.get(), &world.local_size));

  // Local rank 0 of every node joins `leaders`; its rank there (ordered by lowest world rank) is the node index.
  MPI_Comm leader_comm = MPI_COMM_NULL;
  MPI_CHECK(MPI_Comm_split(all.get(), world.local_rank == 0 ? 0 : MPI_UNDEFINED, world.rank, &leader_comm));
  const OwnedMpiComm leaders(leader_comm);
  int node_index_and_count[2] = {0, 0};
  if (leaders) {
    MPI_CHECK(MPI_Comm_rank(leaders.get(), &node_index_and_count[0]));
    MPI_CHECK(MPI_Comm_size(leaders.get(), &node_index_and_count[1]));
  }
  MPI_CHECK(MPI_Bcast(node_index_and_count, 2, MPI_INT, 0, node.get()));
  world.node_index = node_index_and_count[0];
  world.node_count = node_index_and_count[1];
  return world;
}

// "/a/b/cluster/world.cpp" -> "cluster/world.cpp".
std::string short_path(const char* file) {
  const std::string path(file);
  const auto last = path.rfind('/');
  if (last == std::string::npos || last == 0) return path;
  const auto before = path.rfind('/', last - 1);
  return before == std::string::npos ? path : path.substr(before + 1);
}

}  // namespace

bool launched_by_mpi(const Environment& env) {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (find(env, name)) return true;
  }
  return false;
}

std::vector<int> expand_slurm_tasks_per_node(const std::string& value) {
  std::vector<int> counts;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    const std::string item = value.substr(start, comma - start);
    const std::string what = fmt::format("tasks-per-node entry '{}' of '{}'", item, value);
    const std::size_t paren = item.find("(x");
    const int tasks = parse_int(item.substr(0, paren), what);
    int repeat = 1;
    if (paren != std::string::npos) {
      if (item.back() != ')') throw CommError(what + " is malformed (expected N or N(xM))");
      repeat = parse_int(item.substr(paren + 2, item.size() - paren - 3), what);
    }
    if (tasks < 1 || repeat < 1) throw CommError(what + " must count at least one task on at least one node");
    counts.insert(counts.end(), repeat, tasks);
    start = comma + 1;
  }
  return counts;
}

World world_from_environment(const Environment& env, const std::string& hostname) {
  World world;
  world.hostname = hostname;
  if (!find(env, "SLURM_STEP_NUM_TASKS")) return world;  // not an srun step: a single process

  world.size = require_int(env, "SLURM_STEP_NUM_TASKS");
  world.rank = require_int(env, "SLURM_PROCID");
  world.local_rank = require_int(env, "SLURM_LOCALID");
  world.node_index = require_int(env, "SLURM_NODEID");
  world.node_count =
      find(env, "SLURM_STEP_NUM_NODES") ? require_int(env, "SLURM_STEP_NUM_NODES") : require_int(env, "SLURM_NNODES");
  if (world.size < 1) throw CommError(fmt::format("SLURM_STEP_NUM_TASKS={} must be at least 1", world.size));
  require_below(world.rank, "SLURM_PROCID", world.size, "SLURM_STEP_NUM_TASKS");
  require_below(world.node_index, "SLURM_NODEID", world.node_count, "SLURM_STEP_NUM_NODES");
  world.local_size = slurm_local_size(env, world.node_index);
  require_below(world.local_rank, "SLURM_LOCALID", world.local_size, "tasks on this node");
  if (world.local_size > world.size) {
    throw CommError(fmt::format("inconsistent Slurm environment: {} tasks on this node but {} in the step",
                                world.local_size, world.size));
  }
  return world;
}

Environment process_environment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (equals) env.emplace(std::string(*entry, static_cast<std::size_t>(equals - *entry)), std::string(equals + 1));
  }
  return env;
}

std::string local_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

const World& World::resolve() {
  static const World world = [] {
    const Environment env = process_environment();
    const std::string hostname = local_hostname();
    World resolved = launched_by_mpi(env) ? world_from_mpi(hostname) : world_from_environment(env, hostname);
    set_log_rank(resolved.rank, resolved.size, resolved.hostname);
    log::debug("world: {} (local {}/{}, node {}/{}, {})", resolved.label(), resolved.local_rank, resolved.local_size,
               resolved.node_index, resolved.node_count,
               resolved.mpi ? "MPI" : (resolved.size > 1 ? "srun without MPI" : "single process"));
    return resolved;
  }();
  g_resolved.store(&world);
  return world;
}

std::string World::label() const { return fmt::format("rank {}/{} on {}", rank, size, hostname); }

std::string where() {
  if (const World* world = g_resolved.load()) return world->label();
  if (mpi_running()) {
    int rank = -1;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return fmt::format("rank {}/{} on {}", rank, size, local_hostname());
  }
  return "rank ? on " + local_hostname();
}

std::string where(const char* file, int line) { return fmt::format("{} at {}:{}", where(), short_path(file), line); }

}  // namespace musictag::cluster
