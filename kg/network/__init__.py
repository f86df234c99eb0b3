"""The graph as a NetworkX network: conversion, analysis, pictures and the interactive view."""
