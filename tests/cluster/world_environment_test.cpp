// World resolution from environment maps: no launcher, a Slurm batch shell, srun job steps, malformed values.
#include <gtest/gtest.h>

#include <string>

#include "cluster/errors.h"
#include "cluster/world.h"

namespace musictag::cluster {
namespace {

// Asserts that `body` throws CommError whose message contains `expected`.
template <class Body>
void expect_comm_error(Body body, const std::string& expected) {
  try {
    body();
    ADD_FAILURE() << "expected CommError mentioning '" << expected << "'";
  } catch (const CommError& error) {
    EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
  }
}

// srun -N 2 -n 4 with tasks split 3 + 1, seen by the given task.
Environment srun_step(int rank, int local_rank, int node) {
  return {{"SLURM_JOB_ID", "77"},
          {"SLURM_STEP_ID", "0"},
          {"SLURM_STEP_NUM_TASKS", "4"},
          {"SLURM_NTASKS", "4"},
          {"SLURM_STEP_NUM_NODES", "2"},
          {"SLURM_NNODES", "2"},
          {"SLURM_STEP_TASKS_PER_NODE", "3,1"},
          {"SLURM_TASKS_PER_NODE", "3,1"},
          {"SLURM_PROCID", std::to_string(rank)},
          {"SLURM_LOCALID", std::to_string(local_rank)},
          {"SLURM_NODEID", std::to_string(node)}};
}

void expect_single_process(const World& world, const std::string& host) {
  EXPECT_EQ(world.rank, 0);
  EXPECT_EQ(world.size, 1);
  EXPECT_EQ(world.local_rank, 0);
  EXPECT_EQ(world.local_size, 1);
  EXPECT_EQ(world.node_index, 0);
  EXPECT_EQ(world.node_count, 1);
  EXPECT_EQ(world.hostname, host);
  EXPECT_FALSE(world.mpi);
}

TEST(WorldFromEnvironment, NoLauncherIsASingleProcess) {
  expect_single_process(world_from_environment({{"HOME", "/root"}}, "laptop"), "laptop");
}

TEST(WorldFromEnvironment, BatchScriptShellIsASingleProcessWhateverTheAllocation) {
  const Environment batch = {{"SLURM_JOB_ID", "77"}, {"SLURM_PROCID", "0"},  {"SLURM_NTASKS", "4"},
                             {"SLURM_NNODES", "2"},  {"SLURM_LOCALID", "0"}, {"SLURM_TASKS_PER_NODE", "2(x2)"}};
  expect_single_process(world_from_environment(batch, "node01"), "node01");
}

TEST(WorldFromEnvironment, SrunStepFirstNode) {
  const World world = world_from_environment(srun_step(2, 2, 0), "node01");
  EXPECT_EQ(world.rank, 2);
  EXPECT_EQ(world.size, 4);
  EXPECT_EQ(world.local_rank, 2);
  EXPECT_EQ(world.local_size, 3);
  EXPECT_EQ(world.node_index, 0);
  EXPECT_EQ(world.node_count, 2);
  EXPECT_EQ(world.hostname, "node01");
  EXPECT_FALSE(world.mpi);
  EXPECT_EQ(world.label(), "rank 2/4 on node01");
}

TEST(WorldFromEnvironment, SrunStepSecondNodeHasItsOwnTaskCount) {
  const World world = world_from_environment(srun_step(3, 0, 1), "node02");
  EXPECT_EQ(world.rank, 3);
  EXPECT_EQ(world.local_rank, 0);
  EXPECT_EQ(world.local_size, 1);
  EXPECT_EQ(world.node_index, 1);
}

TEST(WorldFromEnvironment, FallsBackToJobLevelNodeAndTaskCounts) {
  Environment env = srun_step(1, 1, 0);
  env.erase("SLURM_STEP_NUM_NODES");
  env.erase("SLURM_STEP_TASKS_PER_NODE");
  env["SLURM_TASKS_PER_NODE"] = "2(x2)";
  const World world = world_from_environment(env, "node01");
  EXPECT_EQ(world.node_count, 2);
  EXPECT_EQ(world.local_size, 2);

  env.erase("SLURM_TASKS_PER_NODE");
  env["SLURM_NTASKS_PER_NODE"] = "2";
  EXPECT_EQ(world_from_environment(env, "node01").local_size, 2);
}

TEST(WorldFromEnvironment, NamesTheVariableThatIsNotANumber) {
  Environment env = srun_step(0, 0, 0);
  env["SLURM_PROCID"] = "0x";
  expect_comm_error([&] { world_from_environment(env, "h"); }, "SLURM_PROCID='0x' is not an integer");
  env = srun_step(0, 0, 0);
  env.erase("SLURM_LOCALID");
  expect_comm_error([&] { world_from_environment(env, "h"); }, "without SLURM_LOCALID");
}

TEST(WorldFromEnvironment, RefusesContradictoryValues) {
  expect_comm_error([] { world_from_environment(srun_step(4, 0, 0), "h"); }, "SLURM_PROCID=4 must be in [0, ");
  expect_comm_error([] { world_from_environment(srun_step(1, 3, 0), "h"); }, "SLURM_LOCALID=3");
  expect_comm_error([] { world_from_environment(srun_step(1, 0, 2), "h"); }, "SLURM_NODEID=2");
  Environment env = srun_step(0, 0, 1);
  env["SLURM_STEP_TASKS_PER_NODE"] = "4";
  expect_comm_error([&] { world_from_environment(env, "h"); }, "lists 1 nodes");
}

TEST(ExpandSlurmTasksPerNode, ExpandsRepeatsAndLists) {
  EXPECT_EQ(expand_slurm_tasks_per_node("2(x3),1"), (std::vector<int>{2, 2, 2, 1}));
  EXPECT_EQ(expand_slurm_tasks_per_node("4"), (std::vector<int>{4}));
  EXPECT_EQ(expand_slurm_tasks_per_node("1,8(x2)"), (std::vector<int>{1, 8, 8}));
}

TEST(ExpandSlurmTasksPerNode, RefusesMalformedText) {
  for (const char* bad : {"", "2,", "x", "2(x3", "2(x)", "0", "2(x0)", "-1", "2(y3)"}) {
    EXPECT_THROW(expand_slurm_tasks_per_node(bad), CommError) << "'" << bad << "'";
  }
}

TEST(LaunchedByMpi, RecognisesEachLauncherVariable) {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    EXPECT_TRUE(launched_by_mpi({{name, "0"}})) << name;
  }
  EXPECT_FALSE(launched_by_mpi(srun_step(0, 0, 0)));
  EXPECT_FALSE(launched_by_mpi({}));
}

TEST(ProcessEnvironment, ReadsThisProcessVariables) {
  ::setenv("MUSICTAG_WORLD_TEST_VARIABLE", "a=b", 1);
  EXPECT_EQ(process_environment().at("MUSICTAG_WORLD_TEST_VARIABLE"), "a=b");
  ::unsetenv("MUSICTAG_WORLD_TEST_VARIABLE");
}

TEST(Where, NamesTheSourcePositionByItsLastTwoComponents) {
  const std::string text = where("/home/me/musictag/cluster/world.cpp", 42);
  EXPECT_NE(text.find(" at cluster/world.cpp:42"), std::string::npos) << text;
  EXPECT_EQ(text.rfind("rank ", 0), 0u) << text;
}

}  // namespace
}  // namespace musictag::cluster
