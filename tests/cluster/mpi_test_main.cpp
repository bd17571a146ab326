// GoogleTest main for the multi-rank suite: resolves the World (MPI_Init under mpiexec) and fails every rank if
// any rank failed, so mpiexec's exit code reflects all of them.
#include <gtest/gtest.h>

#include <algorithm>

#include "cluster/comm/communicator.h"
#include "cluster/fatal.h"
#include "cluster/world.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return musictag::cluster::run_guarded([] {
    using namespace musictag::cluster;
    const World& world = World::resolve();
    const int failed = RUN_ALL_TESTS() != 0 ? 1 : 0;
    const auto all = make_communicator(world, Backend::Mpi)->all_gather(failed);
    return static_cast<int>(*std::max_element(all.begin(), all.end()));
  });
}
