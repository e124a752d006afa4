'use strict';
// require('durable-graph/client'): the ES module entry point, loaded through Node's require() of ES modules (see load.cjs).
module.exports = require('./load.cjs')(() => require('../dist/client.js'), 'durable-graph/client');
