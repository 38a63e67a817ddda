// cflags: -fopenmp
// link: dynamic
/* OpenMP (GCC's libgomp, a real user of futexes, barriers and thread pools): parallel
 * loops with static and dynamic schedules and reductions, a critical section, a
 * barrier, single, and nested parallel regions reusing the pool. Integer results only,
 * so the output does not depend on the order threads finish in. */
#include <omp.h>
#include <stdio.h>

int main(void) {
    long sum = 0;
#pragma omp parallel for reduction(+ : sum) num_threads(4)
    for (long i = 0; i < 300000; i++)
        sum += i % 7;
    long crit = 0;
    int team = 0;
#pragma omp parallel num_threads(3)
    {
#pragma omp barrier
#pragma omp critical
        crit += omp_get_thread_num() + 1;
#pragma omp single
        team = omp_get_num_threads();
    }
    long dyn = 0;
#pragma omp parallel for schedule(dynamic, 100) reduction(+ : dyn) num_threads(4)
    for (int i = 0; i < 20000; i++)
        dyn += (long)i * i % 1000;
    long rounds = 0;
    for (int r = 0; r < 50; r++) {
#pragma omp parallel num_threads(2) reduction(+ : rounds)
        rounds += 1;
    }
    printf("static sum %ld, team %d, critical %ld, dynamic sum %ld, rounds %ld\n", sum,
           team, crit, dyn, rounds);
    return 0;
}
