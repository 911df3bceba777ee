process.stdout.write("anode: under construction\n");
