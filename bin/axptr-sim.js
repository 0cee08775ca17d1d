#!/usr/bin/env node
import "../dist/axptr-sim.js";
