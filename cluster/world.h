// World: who this process is (rank, size, local rank, node) under mpirun/srun --mpi=pmix, plain srun, or alone.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace musictag::cluster {

using Environment = std::map<std::string, std::string>;

struct World {
  int rank = 0;        // 0 .. size-1 across the job
  int size = 1;        // number of processes in the job
  int local_rank = 0;  // 0 .. local_size-1 among the processes on this node; picks the GPU
  int local_size = 1;  // processes on this node
  int node_index = 0;  // 0 .. node_count-1
  int node_count = 1;
  std::string hostname;
  bool mpi = false;  // MPI is initialised and MPI_COMM_WORLD spans exactly these ranks

  // Resolves the world once per process (later calls return the same object):
  //  1. launched by an MPI launcher (OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK or PMI_SIZE set): calls
  //     MPI_Init_thread (MPI_THREAD_SERIALIZED) and reads everything from MPI_COMM_WORLD; MPI_Finalize runs
  //     at exit;
  //  2. else an srun job step (see world_from_environment): mpi = false;
  //  3. else a single process.
  // Then sets the log prefix (set_log_rank). Throws CommError when MPI or the environment is inconsistent.
  static const World& resolve();

  // "rank 1/4 on node07": how logs and error messages name this process.
  std::string label() const;
};

// True when an MPI launcher (mpirun/mpiexec, srun --mpi=pmix/pmi2) started this process.
bool launched_by_mpi(const Environment& env);

// The world as Slurm describes it, without MPI (mpi = false). An srun job step is recognised by
// SLURM_STEP_NUM_TASKS (srun sets it; a batch script's own shell has SLURM_PROCID/SLURM_NTASKS but no step
// variables and is a single process, however many tasks the allocation has):
//   rank = SLURM_PROCID, size = SLURM_STEP_NUM_TASKS, local_rank = SLURM_LOCALID, node_index = SLURM_NODEID,
//   node_count = SLURM_STEP_NUM_NODES (else SLURM_NNODES), local_size = this node's entry of
//   SLURM_STEP_TASKS_PER_NODE (e.g. "2(x3),1"; else SLURM_TASKS_PER_NODE, else SLURM_NTASKS_PER_NODE).
// Otherwise a single process. Throws CommError naming the variable when a value is not a valid number or
// the values contradict each other.
World world_from_environment(const Environment& env, const std::string& hostname);

// Expands Slurm's compressed per-node task counts: "2(x3),1" -> {2, 2, 2, 1}. Throws CommError if malformed.
std::vector<int> expand_slurm_tasks_per_node(const std::string& value);

// This process' environment as a map.
Environment process_environment();

// This machine's host name.
std::string local_hostname();

// "rank 1/4 on node07" once the world is resolved; before that the MPI rank if MPI is running, else
// "rank ? on node07". Used by error messages that may be raised while the world is still being resolved.
std::string where();

// where() plus a source position shortened to its last two components: "rank 1/4 on node07 at cluster/x.cpp:42".
std::string where(const char* file, int line);

}  // namespace musictag::cluster
