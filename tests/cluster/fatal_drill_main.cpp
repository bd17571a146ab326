// Failure drill: rank 1 throws a DataError mid-run while rank 0 waits in an all-reduce; main hands it to fatal().
#include <ATen/ATen.h>

#include "cluster/comm/communicator.h"
#include "cluster/errors.h"
#include "cluster/fatal.h"
#include "cluster/log.h"
#include "cluster/world.h"

int main() {
  using namespace musictag;
  return cluster::run_guarded([] {
    const cluster::World& world = cluster::World::resolve();
    const auto comm = cluster::make_communicator(world, cluster::Backend::Mpi);
    const at::Tensor tensor = at::ones({4});
    comm->all_reduce(tensor);  // a step every rank completes
    log::info("first all-reduce done");
    if (comm->rank() == 1) throw DataError("corrupt part file parts/train-0.h5 (failure drill)");
    comm->all_reduce(tensor);  // rank 0 waits here for rank 1, which never comes
    log::info("drill finished normally");
    return 0;
  });
}
