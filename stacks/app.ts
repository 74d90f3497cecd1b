#!/usr/bin/env node
/** The CDK app (cdk.json runs its compiled form, dist/stacks/app.js). */
import { App } from 'aws-cdk-lib';
import { addScalelabStacks } from './scalelab-app.js';

const app = new App();
addScalelabStacks(app);
app.synth();
