'use strict';
// require('durable-graph/codec'): the ES module entry point, loaded through Node's require() of ES modules (see load.cjs).
module.exports = require('./load.cjs')(() => require('../dist/codec/index.js'), 'durable-graph/codec');
