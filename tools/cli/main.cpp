#include <cstdio>
int main() { std::puts("pixlake"); return 0; }
