/* Does nothing. Built static for the host, it measures the floor of the max-RSS
 * column: what a process that touches almost no memory is reported to use. */
int main(void) { return 0; }
